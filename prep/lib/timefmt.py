def clock(seconds: int | str | None) -> str:
    """Seconds as "mm:ss", the countdown's format (180 -> "03:00"); "—" when unknown."""
    if seconds is None or seconds == "":
        return "—"
    minutes, seconds = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{seconds:02d}"


def minutes(seconds: int | str | None) -> str:
    """Seconds as whole minutes in words (1500 -> "25 minutes", 60 -> "1 minute")."""
    if seconds is None or seconds == "":
        return "—"
    count = round(int(seconds) / 60)
    return f"{count} minute{'' if count == 1 else 's'}"
