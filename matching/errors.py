"""The one exception the engine raises for bad input."""


class InputError(ValueError):
    """An instance that cannot be matched as given; the message names the offending field."""
