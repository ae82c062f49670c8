"""iCalendar (RFC 5545) feeds of meetings, written by hand: one VEVENT per
meeting, times in UTC, text escaped and lines folded at 75 octets."""

from datetime import datetime

from django.utils import timezone

PRODID = "-//CSP Hub//Meetings//EN"


def escape(text):
    return (
        str(text)
        .replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def fold(line):
    """Fold a content line into 75-octet pieces (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    pieces, current = [], b""
    for char in line:
        encoded = char.encode()
        limit = 75 if not pieces else 74  # continuation lines start with a space
        if len(current) + len(encoded) > limit:
            pieces.append(current.decode())
            current = b""
        current += encoded
    pieces.append(current.decode())
    return "\r\n ".join(pieces)


def _stamp(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ")


def calendar(meetings, name, *, base_url=""):
    """The text of a calendar holding these meetings."""
    from datetime import UTC

    now = _stamp(timezone.now().astimezone(UTC))
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for m in meetings:
        start = timezone.make_aware(datetime.combine(m.date, m.start)).astimezone(UTC)
        end = timezone.make_aware(datetime.combine(m.date, m.end)).astimezone(UTC)
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@csphub",
            f"DTSTAMP:{now}",
            f"DTSTART:{_stamp(start)}",
            f"DTEND:{_stamp(end)}",
            f"SUMMARY:{escape(m.name)}",
            f"LOCATION:{escape(m.place or m.online_link or 'Online')}",
            f"URL:{base_url}{m.get_absolute_url()}",
            "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
