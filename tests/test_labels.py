"""Every enum value a person can meet has a plain label."""

from dsa import labels
from dsa import model as m


def test_every_model_enum_value_has_a_label():
    for values, table in ((m.PARTY_TYPES, labels.PARTY_TYPE), (m.LEGAL_FORMS, labels.LEGAL_FORM),
                          (m.DSPT_STATUSES, labels.DSPT_STATUS), (m.PURPOSES, labels.PURPOSE),
                          (m.RELATIONSHIPS, labels.RELATIONSHIP), (m.IDENTIFIABILITY, labels.IDENTIFIABILITY),
                          (m.TRANSFER_METHODS, labels.TRANSFER_METHOD), (m.FREQUENCIES, labels.FREQUENCY),
                          (m.COMPONENTS, labels.COMPONENT), (m.DRAFTING_ALTERNATIVES, labels.DRAFTING_ALTERNATIVE)):
        missing = [v for v in values if v not in table]
        assert not missing, missing


def test_label_reads_as_words_and_keeps_an_unknown_value():
    assert labels.label("relationship", "controller_to_processor") == "Controller to processor"
    assert labels.label("common_law", "overriding_public_interest") == "Overriding public interest"
    assert labels.label("purpose", "something_new") == "Something new"
    assert labels.label("unknown_field", "as_is") == "as_is"
