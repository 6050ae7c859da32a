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

    /// <summary>Writes the state (clears it when <paramref name="clear"/>); a failed write re-reads it (see
    /// <see cref="RereadOr"/>) before the failure is thrown, so a retried call never finds its change in memory only.</summary>
    public static async Task WriteOrReread<T>(this IPersistentState<T> state, bool clear, Action deactivate)
    {
        try
        {
            if (clear) await state.ClearStateAsync();
            else await state.WriteStateAsync();
        }
        catch (Exception)
        {
            await state.RereadOr(deactivate);
            throw;
        }
    }
}
