"""Reading CSV text a person uploaded: saying where and what went wrong."""

import csv


def csv_error_line(text, reader):
    """The line a csv.Error most likely came from: the first line longer than
    the csv module's field limit (the usual cause), else the reader's count."""
    limit = csv.field_size_limit()
    for number, line in enumerate(text.splitlines(), 1):
        if len(line) > limit:
            return number
    return max(reader.line_num, 1)


class FileErrors(Exception):
    """A file that cannot be imported; `errors` lists the problems found (a
    line each) and the message is the first five. Each importer subclasses
    it, so a caller catches its own importer's refusal."""

    def __init__(self, errors):
        self.errors = errors
        super().__init__("; ".join(errors[:5]))
