namespace MeterBridge.Sources;

/// <summary>What a rule found in a message: a number, nothing (not carried), or something that rejects the message.</summary>
public enum ValueKind : byte
{
    NotCarried,
    Number,
    Bad,
}
