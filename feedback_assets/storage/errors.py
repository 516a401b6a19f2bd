"""Errors the storage layer raises; each message names the offending key or ids."""


class StorageError(Exception):
    """Base class for every error raised by the storage layer."""


class InvalidPartitionKey(StorageError, ValueError):
    """A partition key that is not the canonical string of a positive integer."""


class UnknownRun(StorageError, LookupError):
    """A well-formed run id with no row in ``pipeline_runs``."""


class RunMismatch(StorageError, ValueError):
    """Rows handed to a run's write carry another (or a NULL) ``pipeline_run_id``."""


class InvalidRunTransition(StorageError, ValueError):
    """A status change the run lifecycle does not allow (e.g. succeeded → running)."""


class PartitionWriteError(StorageError):
    """The database refused a row of a partition write; the transaction was rolled back whole."""
