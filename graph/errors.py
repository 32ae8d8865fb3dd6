"""One shallow error tree; the CLI and the API map it to exit codes and HTTP statuses."""


class DutygraphError(Exception):
    """Base of every error dutygraph raises on purpose."""


class InputError(DutygraphError):
    """A file that cannot be read as a Chinese government document.

    The message names the file and, where there is one, the place (line, byte),
    and says what to do about it.
    """

    def __init__(self, source: str, problem: str, place: str = "", hint: str = ""):
        self.source, self.problem, self.place, self.hint = source, problem, place, hint
        text = f"{source}: {problem}"
        if place:
            text += f" (at {place})"
        if hint:
            text += f". {hint}"
        super().__init__(text)

    def __reduce__(self):
        # rebuilt from its parts when it crosses a process (the upload's parse worker)
        return (type(self), (self.source, self.problem, self.place, self.hint))


class StoreError(DutygraphError):
    """A store could not be opened, read or written."""


class NotFound(DutygraphError):
    """A document, provision or department that does not exist."""


class QueryError(DutygraphError):
    """A query was asked with arguments it cannot answer (empty topic, bad limit …)."""


class PartlyLoaded(DutygraphError):
    """A load in batches stopped at a batch: the batches before it are written, it and the rest are not."""


class OutOfTime(DutygraphError):
    """A piece of work ran past its wall-clock budget and was stopped, nothing written (HTTP 504)."""


class Busy(DutygraphError):
    """Every slot for this kind of work is taken (the server's parse workers); try again shortly (HTTP 503
    with Retry-After)."""

    def __init__(self, message: str, retry_after: int = 5):
        self.retry_after = retry_after
        super().__init__(message)

    def __reduce__(self):
        return (type(self), (str(self), self.retry_after))
