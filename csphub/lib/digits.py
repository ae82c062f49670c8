"""Numbers typed into a page or a URL."""


def is_digits(text):
    """Whether `text` is a whole number int() can read: ASCII digits only.
    str.isdigit() also accepts '²' and '٣', which int() refuses or reads
    as another number."""
    return text.isascii() and text.isdigit()
