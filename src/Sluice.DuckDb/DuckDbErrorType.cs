namespace Sluice.DuckDb;

/// <summary>The kind of a DuckDB error (duckdb_error_type in duckdb.h).</summary>
public enum DuckDbErrorType
{
    /// <summary>No type given.</summary>
    Invalid = 0,
    /// <summary>A value was out of range.</summary>
    OutOfRange = 1,
    /// <summary>A cast failed.</summary>
    Conversion = 2,
    /// <summary>Unknown type.</summary>
    UnknownType = 3,
    /// <summary>Decimal overflow or precision error.</summary>
    Decimal = 4,
    /// <summary>Types did not match.</summary>
    MismatchType = 5,
    /// <summary>Division by zero.</summary>
    DivideByZero = 6,
    /// <summary>Object too large.</summary>
    ObjectSize = 7,
    /// <summary>Invalid type.</summary>
    InvalidType = 8,
    /// <summary>Serialization failure.</summary>
    Serialization = 9,
    /// <summary>Transaction conflict or misuse; usually worth retrying.</summary>
    Transaction = 10,
    /// <summary>Not implemented by DuckDB.</summary>
    NotImplemented = 11,
    /// <summary>Expression error.</summary>
    Expression = 12,
    /// <summary>Unknown table, schema or function.</summary>
    Catalog = 13,
    /// <summary>The SQL did not parse.</summary>
    Parser = 14,
    /// <summary>Planner error.</summary>
    Planner = 15,
    /// <summary>Scheduler error.</summary>
    Scheduler = 16,
    /// <summary>Executor error.</summary>
    Executor = 17,
    /// <summary>A constraint was violated.</summary>
    Constraint = 18,
    /// <summary>Index error.</summary>
    Index = 19,
    /// <summary>Statistics error.</summary>
    Stat = 20,
    /// <summary>Connection error.</summary>
    Connection = 21,
    /// <summary>Syntax error.</summary>
    Syntax = 22,
    /// <summary>Bad setting.</summary>
    Settings = 23,
    /// <summary>Binder error: unknown column, wrong types.</summary>
    Binder = 24,
    /// <summary>Network error.</summary>
    Network = 25,
    /// <summary>Optimizer error.</summary>
    Optimizer = 26,
    /// <summary>Null pointer.</summary>
    NullPointer = 27,
    /// <summary>File or I/O error, including a database file locked by another process.</summary>
    IO = 28,
    /// <summary>The query was interrupted (cancelled).</summary>
    Interrupt = 29,
    /// <summary>Fatal error: the database must be reopened.</summary>
    Fatal = 30,
    /// <summary>Internal DuckDB error.</summary>
    Internal = 31,
    /// <summary>Invalid input.</summary>
    InvalidInput = 32,
    /// <summary>Out of memory.</summary>
    OutOfMemory = 33,
    /// <summary>Permission denied.</summary>
    Permission = 34,
    /// <summary>A parameter was not bound.</summary>
    ParameterNotResolved = 35,
    /// <summary>Parameters are not allowed here.</summary>
    ParameterNotAllowed = 36,
    /// <summary>Dependency error.</summary>
    Dependency = 37,
    /// <summary>HTTP error.</summary>
    Http = 38,
    /// <summary>An extension is missing.</summary>
    MissingExtension = 39,
    /// <summary>Extension autoloading failed.</summary>
    Autoload = 40,
    /// <summary>Sequence error.</summary>
    Sequence = 41,
    /// <summary>Invalid configuration.</summary>
    InvalidConfiguration = 42,
}
