using System.Text.Json;

namespace OrleansSignals.Enrichment.Consolidation;

/// <summary>The paths of a JSON document's non-null leaves, arrays written "name[]" ("work_history[].company").</summary>
public static class PayloadPaths
{
    public static IEnumerable<string> Leaves(JsonElement root)
    {
        var paths = new List<string>();
        Walk(root, "", paths);
        return paths;
    }

    private static void Walk(JsonElement element, string path, List<string> paths)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                    Walk(property.Value, path.Length == 0 ? property.Name : $"{path}.{property.Name}", paths);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) Walk(item, path + "[]", paths);
                break;
            case JsonValueKind.Null:
                break;
            default:
                paths.Add(path.Length == 0 ? "$" : path);
                break;
        }
    }
}
