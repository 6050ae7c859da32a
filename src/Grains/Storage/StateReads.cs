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
}
