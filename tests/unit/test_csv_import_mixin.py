"""Every state that mixes in the shared CSV import fills in what the mixin leaves open."""

import rxapp.rxapp  # noqa: F401  (imports every page, so every state exists)
from rxapp.states.csv_import import CsvImportMixin, CsvMappingMixin


def _users(mixin: type) -> list[type]:
    found, todo = [], list(mixin.__subclasses__())
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if not getattr(cls, "_mixin", False):
            found.append(cls)
    return found


def test_each_import_state_defines_its_guard_work_and_message():
    importers = _users(CsvImportMixin)
    assert {c.__name__ for c in importers} >= {
        "ParticipantImportState", "AttendeesState", "PurchaseImportState"}
    for cls in importers:
        for hook in ("_import_guard", "_import_work", "_ok_message"):
            assert getattr(cls, hook) is not getattr(CsvImportMixin, hook), (cls, hook)
        assert cls.import_kind and cls.import_fields, cls


def test_each_mapping_state_defines_its_guard():
    for cls in _users(CsvMappingMixin):
        assert cls._import_guard is not CsvMappingMixin._import_guard, cls
        assert cls.import_fields, cls
