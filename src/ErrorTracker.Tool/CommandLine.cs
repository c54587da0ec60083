using System.Globalization;

namespace ErrorTracking.Tool;

/// <summary>What one command accepts: options that take a value, flags that do not, and how many arguments.</summary>
/// <param name="Name">The command's name.</param>
/// <param name="Values">Options followed by a value (long names, with their leading dashes).</param>
/// <param name="Flags">Options without a value.</param>
/// <param name="Arguments">How many positional arguments the command takes.</param>
internal sealed record CommandSpec(string Name, IReadOnlyCollection<string> Values, IReadOnlyCollection<string> Flags, int Arguments);

/// <summary>A parsed command line: the command, its positional arguments, options and flags.</summary>
internal sealed class ParsedCommand
{
    private readonly Dictionary<string, string> _values;
    private readonly HashSet<string> _flags;

    private ParsedCommand(string name, IReadOnlyList<string> arguments, Dictionary<string, string> values, HashSet<string> flags)
    {
        Name = name;
        Arguments = arguments;
        _values = values;
        _flags = flags;
    }

    /// <summary>Options every command that reads the database accepts.</summary>
    public static readonly string[] ConnectionOptions = ["--db", "--postgres", "--table-prefix"];

    private static readonly Dictionary<string, string> ShortNames = new(StringComparer.Ordinal)
    {
        ["-q"] = "--search",
        ["-h"] = "--help",
        ["-y"] = "--yes",
        ["-?"] = "--help",
    };

    /// <summary>The command's name.</summary>
    public string Name { get; }

    /// <summary>The positional arguments.</summary>
    public IReadOnlyList<string> Arguments { get; }

    /// <summary>Whether <c>--help</c> was given.</summary>
    public bool WantsHelp => _flags.Contains("--help");

    /// <summary>The value of an option, or <see langword="null"/> when not given.</summary>
    public string? Value(string option) => _values.TryGetValue(option, out var value) ? value : null;

    /// <summary>Whether a flag was given.</summary>
    public bool Flag(string flag) => _flags.Contains(flag);

    /// <summary>A positive whole number option, or <paramref name="fallback"/> when not given.</summary>
    public int PositiveNumber(string option, int fallback)
    {
        if (Value(option) is not { } text)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number > 0
            ? number
            : throw new ToolException(ExitCodes.Usage, $"{option} must be a whole number of at least 1 (was '{text}').");
    }

    /// <summary>Parses the arguments after the command's name against its spec.</summary>
    public static ParsedCommand Parse(CommandSpec spec, IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var flags = new HashSet<string>(StringComparer.Ordinal);
        var arguments = new List<string>();
        var optionsEnded = false;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (optionsEnded || arg.Length < 2 || arg[0] != '-')
            {
                arguments.Add(arg);
                continue;
            }

            if (arg == "--")
            {
                optionsEnded = true;
                continue;
            }

            string name = arg;
            string? inline = null;
            if (arg.StartsWith("--", StringComparison.Ordinal) && arg.IndexOf('=', StringComparison.Ordinal) is var equals and > 2)
            {
                name = arg[..equals];
                inline = arg[(equals + 1)..];
            }

            name = ShortNames.GetValueOrDefault(name, name);
            if (name == "--help" || spec.Flags.Contains(name))
            {
                if (inline is not null)
                {
                    throw new ToolException(ExitCodes.Usage, $"{name} takes no value.");
                }

                flags.Add(name);
            }
            else if (spec.Values.Contains(name))
            {
                if (inline is null && i + 1 >= args.Count)
                {
                    throw new ToolException(ExitCodes.Usage, $"{name} needs a value; see 'errortracker {spec.Name} --help'.");
                }

                values[name] = inline ?? args[++i];
            }
            else
            {
                throw new ToolException(ExitCodes.Usage, $"Unknown option '{arg}' for '{spec.Name}'; see 'errortracker {spec.Name} --help'.");
            }
        }

        if (!flags.Contains("--help"))
        {
            if (arguments.Count > spec.Arguments)
            {
                throw new ToolException(ExitCodes.Usage, $"Unexpected argument '{arguments[spec.Arguments]}' for '{spec.Name}'; see 'errortracker {spec.Name} --help'.");
            }

            if (arguments.Count < spec.Arguments)
            {
                throw new ToolException(ExitCodes.Usage, $"'{spec.Name}' needs a group's hash (or a unique prefix of at least 6 characters); see 'errortracker {spec.Name} --help'.");
            }
        }

        return new ParsedCommand(spec.Name, arguments, values, flags);
    }
}
