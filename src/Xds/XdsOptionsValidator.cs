using Microsoft.Extensions.Options;

namespace Mesh.Xds;

/// <summary>Refuses, at start, xDS options sidecars could not be given (an unknown path normalization level).</summary>
public sealed class XdsOptionsValidator : IValidateOptions<XdsOptions>
{
    public ValidateOptionsResult Validate(string? name, XdsOptions options)
        => Translation.HttpListenerSettings.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
