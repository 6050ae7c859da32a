using System.Text.RegularExpressions;
using Mesh.Config.Validation.Rules;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mesh.Silo.Access;

/// <summary>Reads the management API's users file (YAML: a <c>users</c> list of <c>name</c>, <c>role</c>,
/// <c>namespaces</c> for editors, and <c>tokenSha256</c> or, for development, <c>token</c>). Every entry is checked
/// and every error reported at once, each with the file, line, entry and field; a file with any error is refused whole.</summary>
public static partial class UsersFile
{
    private static readonly string[] Fields = ["name", "role", "namespaces", "tokenSha256", "token"];
    private static readonly string[] Roles = ["admin", "editor", "viewer"];

    /// <exception cref="InvalidOperationException">The file is missing, unreadable or not valid; the message says every reason.</exception>
    public static UsersFileContent Load(string path)
    {
        if (!File.Exists(path)) throw new InvalidOperationException($"The API users file '{path}' does not exist.");
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw new InvalidOperationException($"The API users file '{path}' cannot be read: {exception.Message}", exception);
        }
    }

    /// <param name="path">Where the text came from, for messages.</param>
    public static UsersFileContent Parse(string yaml, string path)
    {
        var errors = new List<string>();
        var warnings = new List<string>();
        var entries = new List<UsersFileEntry>();
        if (ReadUserList(yaml, path, errors) is { } users)
        {
            for (var i = 0; i < users.Children.Count; i++)
            {
                if (new EntryReader(path, i, users.Children[i], errors, warnings).Read() is { } entry)
                {
                    CheckUnique(entry, entries, path, errors);
                    entries.Add(entry);
                }
            }
        }
        if (errors.Count > 0)
        {
            throw new InvalidOperationException($"The API users file '{path}' is not valid:\n  {string.Join("\n  ", errors)}");
        }
        return new UsersFileContent(entries, warnings);
    }

    private static YamlSequenceNode? ReadUserList(string yaml, string path, List<string> errors)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException exception)
        {
            errors.Add($"{path}:{exception.Start.Line}: {YamlMessage(exception)}");
            return null;
        }
        if (stream.Documents.Count != 1)
        {
            errors.Add(stream.Documents.Count == 0
                ? $"{path}: the file is empty; list the users under users:"
                : $"{path}: the file holds {stream.Documents.Count} YAML documents; write one, with a users list");
            return null;
        }
        if (stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add($"{path}:{stream.Documents[0].RootNode.Start.Line}: expected a mapping with a users list");
            return null;
        }
        YamlSequenceNode? users = null;
        foreach (var (key, value) in root.Children)
        {
            if (key is YamlScalarNode { Value: "users" })
            {
                users = value as YamlSequenceNode;
                if (users is null) errors.Add($"{path}:{value.Start.Line}: users: expected a list of users");
            }
            else
            {
                errors.Add($"{path}:{key.Start.Line}: unknown field \"{(key as YamlScalarNode)?.Value}\"; the file holds one field, users");
            }
        }
        if (users is null && errors.Count == 0) errors.Add($"{path}: users: required, a list of users");
        if (users is { Children.Count: 0 }) errors.Add($"{path}:{users.Start.Line}: users: the list is empty; name at least one user");
        return errors.Count == 0 ? users : null;
    }

    private static void CheckUnique(UsersFileEntry entry, List<UsersFileEntry> earlier, string path, List<string> errors)
    {
        var where = $"{path}:{entry.Line}: users[{entry.Index}] ({entry.User.Name})";
        if (earlier.FirstOrDefault(e => string.Equals(e.User.Name, entry.User.Name, StringComparison.OrdinalIgnoreCase)) is { } sameName)
        {
            errors.Add($"{where}: name: the same name as users[{sameName.Index}]; names must be unique (ignoring case)");
        }
        if (earlier.FirstOrDefault(e => e.TokenSha256.AsSpan().SequenceEqual(entry.TokenSha256)) is { } sameToken)
        {
            errors.Add($"{where}: tokenSha256: the same token as users[{sameToken.Index}] ({sameToken.User.Name}); every user needs a token of its own");
        }
    }

    private static string YamlMessage(YamlException exception)
    {
        var message = exception.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith('(') && cut > 0 ? message[(cut + 3)..] : message;
    }

    /// <summary>Reads and checks one entry of the users list.</summary>
    private sealed class EntryReader(string path, int index, YamlNode node, List<string> errors, List<string> warnings)
    {
        private readonly Dictionary<string, YamlNode> _fields = [];
        private string _who = "";

        public UsersFileEntry? Read()
        {
            if (node is not YamlMappingNode mapping)
            {
                errors.Add($"{path}:{node.Start.Line}: users[{index}]: expected a mapping with name, role and tokenSha256");
                return null;
            }
            var errorsBefore = errors.Count;
            var unknown = new List<(YamlNode Key, string Field)>();
            foreach (var (key, value) in mapping.Children)
            {
                var field = (key as YamlScalarNode)?.Value ?? "";
                if (Fields.Contains(field)) _fields[field] = value;
                else unknown.Add((key, field));
            }
            var name = Name();
            _who = name is null ? "" : $" ({name})";
            foreach (var (key, field) in unknown)
            {
                Error(key, field, $"unknown field; the fields are {string.Join(", ", Fields)}");
            }
            var role = Role();
            var namespaces = Namespaces(role);
            var hash = TokenHash();
            if (errors.Count > errorsBefore || name is null || role is null || hash is null) return null;
            return new UsersFileEntry(index, (int)node.Start.Line, new ApiUser(name, role.Value, namespaces), hash);
        }

        private string? Name()
        {
            var name = Scalar("name", required: "the user's name, as the audit trail shows it");
            if (name is not null && !UserName().IsMatch(name))
            {
                Error(_fields["name"], "name", $"\"{name}\" is not a user name: 1 to 64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit");
                return null;
            }
            return name;
        }

        private ApiRole? Role()
        {
            var role = Scalar("role", required: "admin, editor or viewer");
            if (role is null) return null;
            if (!Roles.Contains(role))
            {
                Error(_fields["role"], "role", $"\"{role}\" is not a role; use admin, editor or viewer");
                return null;
            }
            return Enum.Parse<ApiRole>(role, ignoreCase: true);
        }

        private IReadOnlyList<string> Namespaces(ApiRole? role)
        {
            if (!_fields.TryGetValue("namespaces", out var node))
            {
                if (role == ApiRole.Editor) Error(null, "namespaces", "required for an editor: the namespaces it may write, like [bookinfo], or [\"*\"] for all");
                return [];
            }
            if (role is ApiRole.Admin or ApiRole.Viewer)
            {
                Error(node, "namespaces", "only an editor has namespaces (an admin writes everywhere, a viewer nowhere)");
                return [];
            }
            if (node is not YamlSequenceNode list || list.Children.Count == 0)
            {
                Error(node, "namespaces", "expected a non-empty list, like [bookinfo], or [\"*\"] for all");
                return [];
            }
            var namespaces = new List<string>();
            for (var i = 0; i < list.Children.Count; i++)
            {
                var item = list.Children[i] as YamlScalarNode;
                var value = item?.Value ?? "";
                if (value == ApiUser.AllNamespaces || ResourceNames.IsDns1123Label(value)) namespaces.Add(value);
                else Error(list.Children[i], $"namespaces[{i}]", $"\"{value}\" is not a namespace name (a DNS-1123 label) or \"*\"");
            }
            return namespaces;
        }

        private byte[]? TokenHash()
        {
            var hasHash = _fields.ContainsKey("tokenSha256");
            var hasToken = _fields.ContainsKey("token");
            if (hasHash && hasToken)
            {
                Error(_fields["token"], "token", "give tokenSha256 or token, not both");
                return null;
            }
            if (hasToken)
            {
                var token = Scalar("token", required: "");
                if (token is null) return null;
                if (token.Length == 0 || token.Trim() != token)
                {
                    Error(_fields["token"], "token", "must not be empty, nor begin or end with white space");
                    return null;
                }
                warnings.Add($"{path}:{_fields["token"].Start.Line}: users[{index}]{_who}: token: a plain token; outside development store its SHA-256 as tokenSha256 instead (printf %s TOKEN | sha256sum)");
                return ApiUsers.Hash(token);
            }
            var hex = Scalar("tokenSha256", required: "the hex SHA-256 of the user's bearer token (printf %s TOKEN | sha256sum), or token: for development");
            if (hex is null) return null;
            if (!Sha256Hex().IsMatch(hex))
            {
                Error(_fields["tokenSha256"], "tokenSha256", $"expected 64 hex digits (the SHA-256 of the token), got {hex.Length} characters");
                return null;
            }
            return Convert.FromHexString(hex);
        }

        /// <summary>A string field's value; null (with an error) when it is missing or not a string.</summary>
        private string? Scalar(string field, string required)
        {
            if (!_fields.TryGetValue(field, out var node))
            {
                Error(null, field, $"required: {required}");
                return null;
            }
            if (node is not YamlScalarNode { Value: { } value })
            {
                Error(node, field, "expected a string");
                return null;
            }
            return value;
        }

        private void Error(YamlNode? at, string field, string reason) =>
            errors.Add($"{path}:{(at ?? node).Start.Line}: users[{index}]{_who}: {field}: {reason}");
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$")]
    private static partial Regex UserName();

    [GeneratedRegex("^[0-9A-Fa-f]{64}$")]
    private static partial Regex Sha256Hex();
}
