using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;
using Orleans.Storage;

namespace Mesh.Silo.Storage;

/// <summary>Grain state in one SQLite file: a row per (state name, grain), ETag concurrency, WAL journal with
/// full sync, so a write that returned is on disk.</summary>
public sealed partial class SqliteGrainStorage : IGrainStorage
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            state_name TEXT NOT NULL,
            grain_id   TEXT NOT NULL,
            etag       TEXT NOT NULL,
            data       BLOB NOT NULL,
            updated_at TEXT NOT NULL,
            PRIMARY KEY (state_name, grain_id)
        ) WITHOUT ROWID;
        """;

    private readonly string _connectionString;
    private readonly IGrainStorageSerializer _serializer;
    private readonly ILogger _logger;
    private readonly Lazy<Task> _initialized;

    public SqliteGrainStorage(SqliteStorageOptions options, IGrainStorageSerializer serializer, ILogger<SqliteGrainStorage> logger)
    {
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = options.DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
        _serializer = serializer;
        _logger = logger;
        _initialized = new Lazy<Task>(() => Initialize(options));
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var connection = await Open();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE state_name = $s AND grain_id = $g";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        await using var reader = await command.ExecuteReaderAsync();
        if (await reader.ReadAsync())
        {
            grainState.ETag = reader.GetString(0);
            grainState.State = _serializer.Deserialize<T>(new BinaryData((byte[])reader[1]));
            grainState.RecordExists = true;
        }
        else
        {
            grainState.ETag = null;
            grainState.State = Activator.CreateInstance<T>();
            grainState.RecordExists = false;
        }
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var data = _serializer.Serialize(grainState.State).ToArray();
        var newETag = Guid.NewGuid().ToString("N");
        await using var connection = await Open();
        await using var command = connection.CreateCommand();
        command.CommandText = grainState.ETag is null
            ? "INSERT INTO grain_state (state_name, grain_id, etag, data, updated_at) VALUES ($s, $g, $new, $d, $t) ON CONFLICT DO NOTHING"
            : "UPDATE grain_state SET etag = $new, data = $d, updated_at = $t WHERE state_name = $s AND grain_id = $g AND etag = $old";
        command.Parameters.AddWithValue("$s", stateName);
        command.Parameters.AddWithValue("$g", grainId.ToString());
        command.Parameters.AddWithValue("$new", newETag);
        command.Parameters.AddWithValue("$d", data);
        command.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToString("O"));
        command.Parameters.AddWithValue("$old", (object?)grainState.ETag ?? DBNull.Value);
        if (await command.ExecuteNonQueryAsync() != 1)
        {
            throw Conflict(stateName, grainId, grainState.ETag);
        }
        grainState.ETag = newETag;
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (grainState.ETag is not null)
        {
            await using var connection = await Open();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE state_name = $s AND grain_id = $g AND etag = $old";
            command.Parameters.AddWithValue("$s", stateName);
            command.Parameters.AddWithValue("$g", grainId.ToString());
            command.Parameters.AddWithValue("$old", grainState.ETag);
            if (await command.ExecuteNonQueryAsync() != 1)
            {
                throw Conflict(stateName, grainId, grainState.ETag);
            }
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
    }

    private async Task<SqliteConnection> Open()
    {
        await _initialized.Value;
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA synchronous = FULL; PRAGMA busy_timeout = 30000;";
        await pragma.ExecuteNonQueryAsync();
        return connection;
    }

    private async Task Initialize(SqliteStorageOptions options)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(options.DatabasePath)!);
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA journal_mode = WAL; {Schema}";
        await command.ExecuteNonQueryAsync();
        LogOpened(_logger, options.DatabasePath);
    }

    private InconsistentStateException Conflict(string stateName, GrainId grainId, string? etag)
    {
        LogConflict(_logger, stateName, grainId.ToString(), etag);
        return new InconsistentStateException($"State '{stateName}' of {grainId} changed in storage since it was read (ETag {etag ?? "none"})", etag ?? "", "unknown");
    }

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Grain state is stored in {Path}")]
    private static partial void LogOpened(ILogger logger, string path);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "ETag conflict writing {StateName} of {GrainId} (expected {ETag})")]
    private static partial void LogConflict(ILogger logger, string stateName, string grainId, string? etag);
}
