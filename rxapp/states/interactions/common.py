"""Small helpers shared by the interactions pages' states."""






PAGE_SIZE = 25
SORTS = ("last_name", "first_name", "email", "created_at")
MAX_CSV_BYTES = 20 * 1024 * 1024  # a 100,000-row file is about 4 MB


def _int(value: object) -> int | None:
    try:
        number = int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


def _date(value) -> str:  # noqa: ANN001
    return value.strftime("%Y-%m-%d") if value else ""


def _path_id(path: str, after: str) -> int | None:
    """Read the numeric id that follows ``after`` in a path like /participants/12/new."""
    parts = [p for p in (path or "").split("/") if p]
    if after in parts and parts.index(after) + 1 < len(parts):
        return _int(parts[parts.index(after) + 1])
    return None


