using System.Reflection;
using System.Reflection.Emit;

namespace BibServer.Server.Tests.Architecture;

/// <summary>
/// The types and members an assembly's code refers to, read from its metadata and the IL of its method bodies:
/// what a layer really uses, including what no <c>using</c> line shows (a fully qualified name, a lambda's body,
/// a generic argument).
/// </summary>
internal static class IlReferences
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(field => (OpCode)field.GetValue(null)!)
        .ToDictionary(code => code.Value);

    private const BindingFlags Everything =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>Every type of the assembly (nested and compiler-generated ones too) with the members its code refers to.</summary>
    public static IEnumerable<(Type Type, IReadOnlyList<MemberInfo> Members)> Of(Assembly assembly)
    {
        foreach (var type in assembly.GetTypes())
        {
            var members = new List<MemberInfo>();
            if (type.BaseType is { } baseType) members.Add(baseType);
            members.AddRange(type.GetInterfaces());
            foreach (var field in type.GetFields(Everything)) members.Add(field.FieldType);
            foreach (var property in type.GetProperties(Everything)) members.Add(property.PropertyType);
            foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
            {
                if (method is MethodInfo info) members.Add(info.ReturnType);
                members.AddRange(method.GetParameters().Select(parameter => parameter.ParameterType));
                members.AddRange(InBody(method));
            }
            yield return (type, members);
        }
    }

    /// <summary>The types a member names: its own, its declaring type's, and every generic argument of them, recursively.</summary>
    public static IEnumerable<Type> TypesOf(MemberInfo member)
    {
        var pending = new Stack<Type>();
        if (member is Type type) pending.Push(type);
        else if (member.DeclaringType is { } declaring) pending.Push(declaring);
        if (member is MethodInfo { IsGenericMethod: true } generic) foreach (var argument in generic.GetGenericArguments()) pending.Push(argument);
        if (member is FieldInfo field) pending.Push(field.FieldType);
        var seen = new HashSet<Type>();
        while (pending.Count > 0)
        {
            var next = pending.Pop();
            if (next.HasElementType) { pending.Push(next.GetElementType()!); continue; }
            if (next.IsGenericParameter || !seen.Add(next)) continue;
            yield return next;
            if (next.IsGenericType) foreach (var argument in next.GetGenericArguments()) pending.Push(argument);
            if (next.DeclaringType is { } outer) pending.Push(outer);
        }
    }

    private static List<MemberInfo> InBody(MethodBase method)
    {
        var found = new List<MemberInfo>();
        byte[]? il;
        try
        {
            il = method.GetMethodBody()?.GetILAsByteArray();
        }
        catch (Exception e) when (e is InvalidOperationException or BadImageFormatException)
        {
            return found;
        }
        if (il is null) return found;
        var typeArguments = method.DeclaringType is { IsGenericType: true } declaring ? declaring.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var i = 0; i < il.Length;)
        {
            OpCode code;
            if (il[i] == 0xFE)
            {
                code = OpCodesByValue[unchecked((short)(0xFE00 | il[i + 1]))];
                i += 2;
            }
            else
            {
                code = OpCodesByValue[il[i]];
                i += 1;
            }
            switch (code.OperandType)
            {
                case OperandType.InlineNone:
                    break;
                case OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar:
                    i += 1;
                    break;
                case OperandType.InlineVar:
                    i += 2;
                    break;
                case OperandType.InlineI8 or OperandType.InlineR:
                    i += 8;
                    break;
                case OperandType.InlineSwitch:
                    i += 4 + 4 * BitConverter.ToInt32(il, i);
                    break;
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    try
                    {
                        if (method.Module.ResolveMember(BitConverter.ToInt32(il, i), typeArguments, methodArguments) is { } member) found.Add(member);
                    }
                    catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException)
                    {
                        // A token into a generic context reflection cannot close: its declaring type is still named elsewhere.
                    }
                    i += 4;
                    break;
                default:
                    // InlineBrTarget, InlineI, ShortInlineR, InlineString, InlineSig: four bytes.
                    i += 4;
                    break;
            }
        }
        return found;
    }
}
