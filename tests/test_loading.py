"""Loading refuses malformed input with one clear message, never a traceback or a hang."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dsa.errors import EncodingError, InputError, NotJsonError, TooDeepError, TooLargeError
from dsa.loading import load_document, max_nesting, parse_bytes
from dsa.settings import LoadLimits


def test_a_valid_file_loads_as_a_dict(examples_dir):
    doc = load_document(examples_dir / "minimal.json")
    assert doc["format"] == "dsa-model/1"


def test_bytes_that_are_not_utf8_are_refused():
    with pytest.raises(EncodingError, match="not UTF-8"):
        parse_bytes(b'{"a": "\xff"}')


def test_a_utf8_byte_order_mark_is_accepted():
    assert parse_bytes(b'\xef\xbb\xbf{"a": 1}') == {"a": 1}


@pytest.mark.parametrize("raw", [b"", b"{", b"not json", b"{'a': 1}", b'{"a": 1,}'])
def test_text_that_is_not_json_is_refused_with_its_position(raw):
    with pytest.raises(NotJsonError, match="not valid JSON"):
        parse_bytes(raw)


@pytest.mark.parametrize("raw,kind", [(b"[1, 2]", "list"), (b"null", "null"), (b'"x"', "str"), (b"3", "int")])
def test_a_json_value_that_is_not_an_object_is_refused(raw, kind):
    with pytest.raises(NotJsonError, match=kind):
        parse_bytes(raw)


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"pad": "x" * 2000}))
    with pytest.raises(TooLargeError, match="over the"):
        load_document(path, limits=LoadLimits(max_bytes=1000))


def test_bytes_over_the_size_limit_are_refused():
    with pytest.raises(TooLargeError):
        parse_bytes(b"{}" + b" " * 2000, limits=LoadLimits(max_bytes=1000))


def test_ten_thousand_levels_of_nesting_are_refused_quickly():
    with pytest.raises(TooDeepError, match="64"):
        parse_bytes(b"[" * 10_000 + b"]" * 10_000)
    with pytest.raises(TooDeepError):
        parse_bytes(b'{"a":' * 10_000 + b"1" + b"}" * 10_000)


def test_brackets_inside_strings_do_not_count_as_nesting():
    doc = {"a": "[[[[[[" * 100, "b": '\\"[[[', "c": [[1]]}
    assert max_nesting(json.dumps(doc).encode()) == 3
    assert parse_bytes(json.dumps(doc).encode()) == doc


def test_a_dict_is_copied_and_checked_for_depth():
    original = {"a": [1]}
    doc = load_document(original)
    doc["a"].append(2)
    assert original == {"a": [1]}
    deep: dict = {}
    node = deep
    for _ in range(70):
        node["x"] = {}
        node = node["x"]
    with pytest.raises(TooDeepError):
        load_document(deep)


def test_a_missing_file_and_a_folder_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_document(tmp_path / "absent.json")
    with pytest.raises(InputError, match="folder"):
        load_document(tmp_path)


@pytest.mark.parametrize("raw,pointer", [
    (b'{"a": NaN}', "/a"), (b'{"a": [1, Infinity]}', "/a/1"), (b'{"a": {"b": -Infinity}}', "/a/b"),
    (b'{"a": 1e400}', "/a"), (b'{"a~b/c": ' + b"9" * 400 + b"}", "/a~0b~1c"),
])
def test_numbers_that_are_not_finite_json_are_refused_with_their_pointer(raw, pointer):
    with pytest.raises(NotJsonError, match=f"at {pointer}[ ,]"):
        parse_bytes(raw)


@pytest.mark.parametrize("raw", [b'{"a": "x\\ud800"}', b'{"\\udc00": 1}', b'{"a": ["\\udbff"]}'])
def test_a_lone_surrogate_escaped_anywhere_is_refused(raw):
    with pytest.raises(NotJsonError, match="lone surrogate"):
        parse_bytes(raw)


def test_a_surrogate_pair_is_one_character_and_loads():
    assert parse_bytes(b'{"a": "\\ud83d\\ude00"}') == {"a": "\U0001f600"}


def test_large_but_finite_numbers_load_for_the_schema_to_judge():
    assert parse_bytes(b'{"a": 1e308, "b": ' + b"9" * 300 + b"}")["a"] == 1e308


@pytest.mark.parametrize("value", [float("nan"), float("inf"), "\ud800", {"k\udfff": 1}, 10 ** 400])
def test_a_dict_holding_what_json_cannot_is_refused(value):
    with pytest.raises(NotJsonError):
        load_document({"a": [value]})


def test_the_depth_limit_is_exact_at_its_boundary():
    assert isinstance(parse_bytes(b'{"a":' + b"[" * 63 + b"]" * 63 + b"}"), dict)
    with pytest.raises(TooDeepError, match="64"):
        parse_bytes(b'{"a":' + b"[" * 64 + b"]" * 64 + b"}")
    assert isinstance(parse_bytes(b'{"a": [[1]]}', limits=LoadLimits(max_depth=3)), dict)
    with pytest.raises(TooDeepError):
        parse_bytes(b'{"a": [[[1]]]}', limits=LoadLimits(max_depth=3))


@pytest.mark.parametrize("raw", [b'{}],[{}', b'{"a": 1}], [{"b": 2}', b"1] , [2", b"]", b"[", b"{} ]"])
def test_a_text_that_closes_more_than_it_opens_is_not_json(raw):
    with pytest.raises(NotJsonError):
        parse_bytes(raw)


def test_integers_beyond_64_bits_stay_exact_integers():
    big = 10 ** 30 + 7
    doc = parse_bytes(b'{"a": %d, "b": -%d, "c": [%d]}' % (big, big, 2 ** 64))
    assert doc == {"a": big, "b": -big, "c": [2 ** 64]}
    assert all(type(v) is int for v in (doc["a"], doc["b"], doc["c"][0]))


def test_a_file_is_read_as_its_bytes_are(tmp_path):
    text = '\ufeff{"a": [1.5, "x\\u00e9\\ud83d\\ude00", null, true, -0.0, 12345678901234567890123]}'
    path = tmp_path / "m.json"
    path.write_bytes(text.encode("utf-8"))
    assert load_document(path) == parse_bytes(text.encode("utf-8")) == json.loads(text[1:])
    path.write_bytes(b'{"a": NaN}')
    with pytest.raises(NotJsonError, match="at /a"):
        load_document(path)
    path.write_bytes(b"[" * 70 + b"]" * 70)
    with pytest.raises(TooDeepError, match="64"):
        load_document(path)


_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.integers(min_value=-(10 ** 40), max_value=10 ** 40)
    | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20)


def _typed(value):
    """A value with every number's type beside it, so 1 and 1.0 (equal in Python) compare different."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


@settings(max_examples=300, deadline=None)
@given(_json_values, st.booleans())
def test_any_json_object_loads_exactly_as_the_standard_parser_reads_it(value, ascii_only):
    raw = json.dumps({"v": value}, ensure_ascii=ascii_only).encode("utf-8")
    assert _typed(parse_bytes(raw)) == _typed(json.loads(raw))


def test_a_model_read_from_a_pipe_loses_no_byte(tmp_path, minimal_doc):
    import os
    import threading

    text = json.dumps(minimal_doc).encode("utf-8")
    read, write = os.pipe()
    writer = threading.Thread(target=lambda: (os.write(write, text), os.close(write)))
    writer.start()
    try:
        assert load_document(f"/dev/fd/{read}") == minimal_doc
    finally:
        writer.join()
        os.close(read)


def test_the_fast_parse_reads_what_parse_reads_or_says_it_cannot(tmp_path):
    from dsa.loading import read_model_file

    def text(raw: bytes):
        path = tmp_path / "model.json"
        path.write_bytes(raw)
        return read_model_file(path)

    plain = text(b'{"flows": [{"records": 12}], "name": "x"}')
    assert plain.parse_fast() == plain.parse_fast(check_integers=False) == plain.parse()
    # An integer of 19 digits or more: orjson reads 10**20 as a float, the standard parser exactly.
    long = text(b'{"records": 100000000000000000000}')
    assert long.parse_fast() is None and long.parse() == {"records": 10 ** 20}
    assert long.parse_fast(check_integers=False) == {"records": 1e20}  # for a caller another check covers
    for raw in (b"[1, 2]", b"{not json", b'{"a": NaN}'):
        assert text(raw).parse_fast() is None
