namespace MeterBridge.Items;

/// <summary>The D-Bus wire type of a value, as velib sends it.</summary>
internal enum BusType : byte
{
    /// <summary>Invalid: an empty <c>ai</c>.</summary>
    Invalid = 0,
    /// <summary><c>d</c>: measurements.</summary>
    Double,
    /// <summary><c>i</c>: counters, enums and ids.</summary>
    Int32,
    /// <summary><c>s</c>: names.</summary>
    String,
    /// <summary><c>av</c> of strings: lists such as /AllowedRoles.</summary>
    StringList,
}
