namespace MeterBridge.Config;

/// <summary>What happens when no message was accepted for <c>timeout</c> seconds (docs/payloads.md "Staleness").</summary>
internal enum TimeoutAction : byte
{
    Remove,
    Zero,
    Invalidate,
    Exit,
}

/// <summary>The <c>timeout_action</c> key's words.</summary>
internal static class TimeoutActionText
{
    private static readonly string[] Names = ["remove", "zero", "invalidate", "exit"];

    public static string Of(TimeoutAction action) => Names[(int)action];

    public static bool TryParse(string text, out TimeoutAction action)
    {
        int index = Array.IndexOf(Names, text.Trim().ToLowerInvariant());
        action = index < 0 ? TimeoutAction.Remove : (TimeoutAction)index;
        return index >= 0;
    }
}
