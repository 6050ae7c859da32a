namespace Mesh.Grains.Storage;

/// <summary>After a failed write, a grain's memory must match storage again before it answers: read it back, or, when
/// even that fails, give up the activation so the next call starts from storage.</summary>
public static class StateReads
{
    public static async Task RereadOr<T>(this IPersistentState<T> state, Action deactivate)
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception)
        {
            deactivate();
        }
    }

    /// <summary>Runs <paramref name="write"/> (a write or clear of <paramref name="state"/>); if it fails, memory is made
    /// to match storage again (<see cref="RereadOr"/>) before the failure goes to the caller.</summary>
    public static async Task WriteOrReread<T>(this IPersistentState<T> state, Func<IPersistentState<T>, Task> write, Action deactivate)
    {
        try
        {
            await write(state);
        }
        catch
        {
            await state.RereadOr(deactivate);
            throw;
        }
    }
}
