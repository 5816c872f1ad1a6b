"""User-facing errors: each one is a single actionable line, never a traceback."""


class CoachError(Exception):
    """An error the user can act on; its message is shown as one line."""


class ConfigError(CoachError):
    """The settings do not describe a usable configuration."""


class BackendError(CoachError):
    """The language model backend failed after its retries."""


class InputError(CoachError):
    """The user's input (a file, an argument) cannot be used as given."""


class NotFoundError(CoachError):
    """A named contact, note or draft does not exist."""
