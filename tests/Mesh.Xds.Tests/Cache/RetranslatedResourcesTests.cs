using Envoy.Config.Listener.V3;
using Mesh.Xds.Cache;
using Mesh.Xds.Resources;

namespace Mesh.Xds.Tests.Cache;

public sealed class RetranslatedResourcesTests
{
    private readonly Dictionary<string, int> _inputs = new() { ["a"] = 1, ["b"] = 1 };
    private readonly List<string> _translated = [];
    private int _failures;

    private Task<XdsResource?> Translate(string name)
    {
        if (_failures > 0)
        {
            _failures--;
            throw new InvalidOperationException("storage down");
        }
        _translated.Add(name);
        var listener = new Listener { Name = name, StatPrefix = _inputs[name].ToString(System.Globalization.CultureInfo.InvariantCulture) };
        return Task.FromResult<XdsResource?>(XdsResource.Of(TypeUrls.Listener, name, listener));
    }

    [Fact]
    public async Task A_resource_is_translated_once_then_kept()
    {
        var resources = new RetranslatedResources<string>(Translate);

        var first = await resources.Get("a");
        var again = await resources.Get("a");

        Assert.Same(first, again);
        Assert.Equal(["a"], _translated);
    }

    [Fact]
    public async Task Retranslating_visits_the_affected_resources_in_use_and_reports_only_those_that_changed()
    {
        var resources = new RetranslatedResources<string>(Translate);
        await resources.Get("a");
        await resources.Get("b");
        _inputs["b"] = 2;
        _translated.Clear();

        var changed = await resources.Retranslate(_ => true, StringComparer.Ordinal, _ => { });
        var none = await resources.Retranslate(name => name == "a", StringComparer.Ordinal, _ => { });

        Assert.Equal(["b"], changed);
        Assert.Empty(none);
        Assert.Equal(["a", "b", "a"], _translated);
        Assert.Equal("2", (await resources.Get("b"))!.Message is Listener l ? l.StatPrefix : null);
    }

    [Fact]
    public async Task A_failed_retranslation_is_tried_again_until_the_new_input_is_in()
    {
        var resources = new RetranslatedResources<string>(Translate);
        await resources.Get("a");
        _inputs["a"] = 5;
        _failures = 1;
        var failures = new List<Exception>();

        var changed = await resources.Retranslate(_ => true, StringComparer.Ordinal, failures.Add).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Single(failures);
        Assert.Equal(["a"], changed);
    }
}
