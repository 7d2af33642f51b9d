using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Unroll.Generator.Diagnostics;
using Unroll.Generator.Helpers;
using Unroll.Generator.Model;

namespace Unroll.Generator.Parsing
{
    /// <summary>
    /// The arguments of one attribute as plain values, by property name (a constructor parameter counts as the property it
    /// sets: <c>rate</c> is <c>Rate</c>), with where each was written. Enum values outside their type are reported here,
    /// for every attribute alike, and read as the type's default.
    /// </summary>
    internal sealed class AttributeArguments
    {
        private readonly Dictionary<string, object?> _values = new();
        private readonly List<ArgumentInfo> _locations = new();

        private AttributeArguments()
        {
        }

        public EquatableArray<ArgumentInfo> Locations => new(_locations);

        public static AttributeArguments Read(AttributeData attribute, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
        {
            var result = new AttributeArguments();
            var syntax = attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) as AttributeSyntax;
            SeparatedSyntaxList<AttributeArgumentSyntax> syntaxArgs = syntax?.ArgumentList?.Arguments ?? default;

            IMethodSymbol? constructor = attribute.AttributeConstructor;
            for (int i = 0; i < attribute.ConstructorArguments.Length; i++)
            {
                if (constructor is null || i >= constructor.Parameters.Length) break;
                IParameterSymbol parameter = constructor.Parameters[i];
                string name = char.ToUpperInvariant(parameter.Name[0]) + parameter.Name.Substring(1);
                TypedConstant value = attribute.ConstructorArguments[i];
                if (parameter.IsParams)
                {
                    // Each element of a params array was written as its own argument, from position i on; the whole list spans them all.
                    LocationInfo? first = null, last = null;
                    for (int j = 0; j < (value.IsNull ? 0 : value.Values.Length); j++)
                    {
                        AttributeArgumentSyntax? element = i + j < syntaxArgs.Count && syntaxArgs[i + j].NameEquals is null && syntaxArgs[i + j].NameColon is null
                            ? syntaxArgs[i + j] : null;
                        if (LocationInfo.From(element) is not { } location) continue;
                        result._locations.Add(new ArgumentInfo(name + "[" + j.ToString(CultureInfo.InvariantCulture) + "]", location));
                        first ??= location;
                        last = location;
                    }
                    if (first is not null && last is not null) result._locations.Add(new ArgumentInfo(name, LocationInfo.Between(first, last)));
                }
                else
                {
                    AttributeArgumentSyntax? arg = i < syntaxArgs.Count && syntaxArgs[i].NameEquals is null ? syntaxArgs[i] : null;
                    if (LocationInfo.From(arg) is { } location) result._locations.Add(new ArgumentInfo(name, location));
                }
                result._values[name] = result.Convert(name, value, diagnostics);
            }

            foreach (KeyValuePair<string, TypedConstant> named in attribute.NamedArguments)
            {
                AttributeArgumentSyntax? arg = null;
                foreach (AttributeArgumentSyntax a in syntaxArgs)
                    if (a.NameEquals?.Name.Identifier.ValueText == named.Key) arg = a;
                if (LocationInfo.From(arg) is { } location) result._locations.Add(new ArgumentInfo(named.Key, location));
                result._values[named.Key] = result.Convert(named.Key, named.Value, diagnostics);
            }
            return result;
        }

        private object? Convert(string name, TypedConstant value, List<DiagnosticInfo> diagnostics)
        {
            if (value.IsNull) return null;
            if (value.Kind == TypedConstantKind.Array)
                return value.Values.Select(v => v.IsNull ? null : v.Value).ToArray();
            if (value.Kind == TypedConstantKind.Enum && value.Type is INamedTypeSymbol enumType && !IsDefined(enumType, value.Value))
            {
                string names = string.Join(", ", enumType.GetMembers().OfType<IFieldSymbol>().Where(f => f.HasConstantValue).Select(f => f.Name));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.EnumOutOfRangeId, LocationOf(name), name,
                    System.Convert.ToString(value.Value, CultureInfo.InvariantCulture) ?? "", enumType.Name, names));
                return null;
            }
            return value.Value;
        }

        private static bool IsDefined(INamedTypeSymbol enumType, object? value)
        {
            foreach (IFieldSymbol field in enumType.GetMembers().OfType<IFieldSymbol>())
                if (field.HasConstantValue && Equals(field.ConstantValue, value)) return true;
            return false;
        }

        private LocationInfo? LocationOf(string name)
        {
            foreach (ArgumentInfo a in _locations)
                if (a.Name == name) return a.Location;
            return null;
        }

        public bool Has(string name) => _values.ContainsKey(name);

        public int Int(string name, int fallback) =>
            _values.TryGetValue(name, out object? v) && v is not null ? System.Convert.ToInt32(v, CultureInfo.InvariantCulture) : fallback;

        public float Float(string name, float fallback) =>
            _values.TryGetValue(name, out object? v) && v is not null ? System.Convert.ToSingle(v, CultureInfo.InvariantCulture) : fallback;

        public float? FloatOrNull(string name) =>
            _values.TryGetValue(name, out object? v) && v is not null ? System.Convert.ToSingle(v, CultureInfo.InvariantCulture) : null;

        public bool Bool(string name, bool fallback) => _values.TryGetValue(name, out object? v) && v is bool b ? b : fallback;

        public string? String(string name) => _values.TryGetValue(name, out object? v) ? v as string : null;

        /// <summary>An enum argument (mirrored in <see cref="Model"/>); an absent or out-of-range value gives the fallback.</summary>
        public T Enum<T>(string name, T fallback) where T : struct =>
            _values.TryGetValue(name, out object? v) && v is not null
                ? (T)System.Enum.ToObject(typeof(T), System.Convert.ToInt32(v, CultureInfo.InvariantCulture))
                : fallback;

        /// <summary>An enum argument that may be absent (null).</summary>
        public T? EnumOrNull<T>(string name) where T : struct =>
            _values.TryGetValue(name, out object? v) && v is not null
                ? (T)System.Enum.ToObject(typeof(T), System.Convert.ToInt32(v, CultureInfo.InvariantCulture))
                : null;

        public EquatableArray<int> Ints(string name) =>
            _values.TryGetValue(name, out object? v) && v is object?[] items
                ? new EquatableArray<int>(items.Select(i => i is null ? 0 : System.Convert.ToInt32(i, CultureInfo.InvariantCulture)))
                : EquatableArray<int>.Empty;

        public EquatableArray<string> Strings(string name) =>
            _values.TryGetValue(name, out object? v) && v is object?[] items
                ? new EquatableArray<string>(items.Select(i => i as string ?? ""))
                : EquatableArray<string>.Empty;
    }
}
