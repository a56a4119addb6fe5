"""Findings render JSON Pointers as RFC 6901 says and sort by path, then rule."""

from dsa.findings import Finding, Severity, from_pointer, sort_findings, to_pointer


def test_pointer_escapes_tilde_then_slash_and_round_trips():
    path = ("flows", 3, "x-a/b~c")
    assert to_pointer(path) == "/flows/3/x-a~1b~0c"
    assert from_pointer(to_pointer(path)) == path


def test_the_root_is_the_empty_pointer():
    assert to_pointer(()) == "" and from_pointer("") == ()


def test_findings_sort_numerically_by_index_then_by_rule():
    f = lambda rule, *path: Finding(rule, Severity.ERROR, path, "m", "f")  # noqa: E731
    ordered = sort_findings([f("IG002", "flows", 10), f("IG009", "flows", 2), f("IG001", "flows", 2),
                             f("REF001", "partnership")])
    assert [(x.rule, x.pointer) for x in ordered] == [
        ("IG001", "/flows/2"), ("IG009", "/flows/2"), ("IG002", "/flows/10"), ("REF001", "/partnership")]


def test_to_dict_has_the_cli_fields():
    d = Finding("IG004", Severity.ERROR, ("flows", 0), "msg", "fix").to_dict()
    assert d == {"rule": "IG004", "severity": "error", "path": "/flows/0", "message": "msg", "fix": "fix"}
