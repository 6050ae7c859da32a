using Envoy.Config.Rbac.V3;

namespace Mesh.Xds.Translation.Security;

/// <summary>The and/or/not/any that Envoy's RBAC spells twice, once for principals (who) and once for permissions
/// (what), so that Istio's <c>values</c>/<c>notValues</c> pairs are built once for both.</summary>
internal sealed class RbacAlgebra<T>(Func<T> any, Func<IEnumerable<T>, T> and, Func<IEnumerable<T>, T> or, Func<T, T> not)
    where T : class
{
    public T Any() => any();

    /// <summary>An empty conjunction constrains nothing: it is <c>any</c> (Envoy's sets need at least one member).</summary>
    public T And(IReadOnlyCollection<T> terms) => terms.Count == 0 ? any() : and(terms);

    public T Not(T term) => not(term);

    /// <summary>One Istio field and its not-form: the values OR'd, and the notValues OR'd and negated. A value that
    /// <paramref name="translate"/> cannot express (it says so in the rule's problems and returns nothing) widens the
    /// match, never narrows it: one such value drops the whole positive term, and a negative value is left out of the
    /// exclusions. How a rule with problems is used then depends on its action (<see cref="RuleContext"/>).</summary>
    public IEnumerable<T> Field(IReadOnlyList<string> values, IReadOnlyList<string> notValues, Func<string, IReadOnlyList<T>> translate)
    {
        var included = values.Select(translate).ToList();
        if (included.Count > 0 && included.All(t => t.Count > 0)) yield return or(included.SelectMany(t => t));
        var excluded = notValues.SelectMany(translate).ToList();
        if (excluded.Count > 0) yield return not(or(excluded));
    }
}
