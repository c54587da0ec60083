using ErrorTracking.Context;
using ErrorTracking.Masking;
using ErrorTracking.Notification;
using ErrorTracking.Records;
using ErrorTracking.Storage;
using ErrorTracking.Ticketing;
using Microsoft.Extensions.Logging;

namespace ErrorTracking.Configuration;

/// <summary>
/// Every setting of the tracker, bound from the <c>ErrorTracker</c> configuration section and validated at start.
/// Upstream's setting names are given for each one that has a counterpart.
/// </summary>
public sealed class ErrorTrackerOptions
{
    /// <summary>The configuration section the options bind from.</summary>
    public const string SectionName = "ErrorTracker";

    /// <summary>The default mask (upstream's <c>APP_ERROR_MASK_WITH</c>, Flask default).</summary>
    public const string DefaultMask = "**************";

    /// <summary>The default name fragments that mark a value as secret.</summary>
    public static IReadOnlyList<string> DefaultMaskedKeys { get; } =
    [
        "password", "secret", "passwd", "pwd", "token", "apikey", "api_key", "authorization", "cookie", "session",
        "credential", "private_key", "privatekey", "jwt", "csrf", "xsrf", "accountkey", "accesskey", "cvv", "cvc",
    ];

    /// <summary>The default namespaces whose frames are not the application's own.</summary>
    public static IReadOnlyList<string> DefaultInAppExclude { get; } =
    [
        "System", "Microsoft", "Internal", "Windows", "NUnit", "Xunit", "Castle", "Newtonsoft", "Dapper", "Npgsql", "Serilog",
        "Polly", "Grpc", "Google", "Amazon", "Azure", "StackExchange", "MediatR", "AutoMapper", "FluentValidation", "FluentAssertions",
    ];

    /// <summary>The application's name, stored with each occurrence. Default: the entry assembly's name.</summary>
    public string? ApplicationName { get; set; }

    // Masking

    /// <summary>
    /// A name is masked when its lower-case form contains one of these (upstream's <c>APP_ERROR_MASKED_KEY_HAS</c>).
    /// Empty disables masking by name. Default: <see cref="DefaultMaskedKeys"/>.
    /// </summary>
    public IList<string> MaskedKeyHas { get; set; } = [.. DefaultMaskedKeys];

    /// <summary>
    /// More name fragments to mask, on top of <see cref="MaskedKeyHas"/>: add an application's own secret names
    /// (<c>card</c>, <c>iban</c>) without repeating the defaults. Default: none.
    /// </summary>
    public IList<string> AdditionalMaskedKeys { get; set; } = [];

    /// <summary>What a masked value is replaced by (upstream's <c>APP_ERROR_MASK_WITH</c>). Default: 14 stars.</summary>
    public string MaskWith { get; set; } = DefaultMask;

    /// <summary>
    /// Whether secrets are also looked for inside text (messages, string values, bodies): <c>key=value</c> pairs
    /// with a secret key, <c>Bearer</c>/<c>Basic</c> credentials and passwords in URLs. Default: <see langword="true"/>.
    /// </summary>
    public bool MaskSecretsInText { get; set; } = true;

    /// <summary>
    /// Extra regular expressions whose matches in text are masked: the group named <c>secret</c> when the pattern
    /// has one, else the whole match. Default: none.
    /// </summary>
    public IList<string> MaskedValuePatterns { get; set; } = [];

    /// <summary>
    /// Built-in secret detectors switched off, by name (<see cref="SecretDetector.BuiltInNames"/>: <c>jwt</c>,
    /// <c>payment-card</c>, <c>iban</c>...). An unknown name stops the application at start. Default: none, every
    /// detector is on.
    /// </summary>
    public IList<string> DisabledSecretDetectors { get; set; } = [];

    /// <summary>More secret detectors, run after the built-in ones: an application's own token formats. Default: none.</summary>
    public IList<SecretDetector> SecretDetectors { get; } = [];

    /// <summary>A custom rule that replaces the key fragment rule (upstream's <c>APP_ERROR_MASKING_MODULE</c>).</summary>
    public IMaskingRule? MaskingRule { get; set; }

    // Capture

    /// <summary>Characters kept of a string value before it is cut with "..." (upstream: 10,000).</summary>
    public int MaxStringLength { get; set; } = 10_000;

    /// <summary>Items kept of a collection and members of an object (upstream: 1,000).</summary>
    public int MaxCollectionItems { get; set; } = 1_000;

    /// <summary>Levels of nesting rendered (upstream: 100); at most 300, what the stores can keep.</summary>
    public int MaxDepth { get; set; } = 100;

    /// <summary>Values rendered at most for one variable, whatever its shape. Default: 10,000.</summary>
    public int MaxValueNodes { get; set; } = 10_000;

    /// <summary>Source lines shown before and after a frame's line, when the file exists; 0 turns source context off. Default: 5.</summary>
    public int SourceContextLines { get; set; } = 5;

    /// <summary>Whether the static fields of in-app frames' types are captured, as upstream captured globals. Default: <see langword="true"/>.</summary>
    public bool CaptureStaticFields { get; set; } = true;

    /// <summary>Namespace prefixes of frames that are not the application's own. Default: <see cref="DefaultInAppExclude"/>.</summary>
    public IList<string> InAppExclude { get; set; } = [.. DefaultInAppExclude];

    /// <summary>Namespace prefixes that are the application's own even when excluded above. Default: none.</summary>
    public IList<string> InAppInclude { get; set; } = [];

    /// <summary>
    /// Whether unhandled exceptions (<see cref="AppDomain.UnhandledException"/>) and unobserved task exceptions are
    /// recorded, and what is pending stored before the process exits. Default: <see langword="true"/>.
    /// </summary>
    public bool CaptureUnhandledExceptions { get; set; } = true;

    /// <summary>Decides which exceptions are recorded; return <see langword="false"/> to ignore one. Default: all are recorded.</summary>
    public Func<Exception, bool>? ShouldRecord { get; set; }

    // Grouping

    /// <summary>Whether the normalized message takes part in the grouping hash. Default: <see langword="false"/>.</summary>
    public bool IncludeMessageInFingerprint { get; set; }

    /// <summary>A custom grouping key; return <see langword="null"/> to use the default one. The key is hashed with SHA-256.</summary>
    public Func<ErrorEvent, string?>? Fingerprint { get; set; }

    // Pipeline

    /// <summary>Occurrences waiting for the store at most. Default: 10,000.</summary>
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>What happens when the queue is full. Default: <see cref="QueueFullMode.DropNewest"/>.</summary>
    public QueueFullMode QueueFullMode { get; set; } = QueueFullMode.DropNewest;

    /// <summary>Occurrences written to the store in one batch at most. Default: 100.</summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// While the store is unavailable, occurrences wait in memory, repeats of one failure merged into one entry
    /// with a count; this bounds how many distinct failures wait. Past it, the failure with the fewest occurrences
    /// (of those, the newest) is dropped and counted. Default: 10,000.
    /// </summary>
    public int MaxBufferedGroups { get; set; } = 10_000;

    /// <summary>
    /// How long one call to the store may take before the writer treats it as failed: the occurrences wait in memory,
    /// merged, and new ones keep joining them instead of filling the queue. A store that ignores the cancellation is
    /// not called again until that call has ended. Default: 500 milliseconds.
    /// </summary>
    public TimeSpan StoreTimeout { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Failed attempts in a row after which the writer stores what waits one failure at a time, to find an
    /// occurrence the store refuses while it takes the others (a poison batch); that one is given up, counted as
    /// lost and logged once. Default: 5.
    /// </summary>
    public int StoreAttempts { get; set; } = 5;

    /// <summary>
    /// How long shutdown waits for queued occurrences to be stored, counted once from the moment shutdown starts (the
    /// host's stop, or else disposal or process exit): each later step only gets what is left. Past it, what is not
    /// stored is counted and logged; a store that ignores cancellation gets up to a second more. Default: 5 seconds.
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The store (upstream's <c>APP_ERROR_DB_MODEL</c>). Default: an <see cref="InMemoryErrorStore"/>. In a service
    /// collection, a store chosen on the builder (<c>UseStore&lt;T&gt;()</c>, <c>UseSqlite(...)</c>) takes precedence.
    /// </summary>
    public IErrorStore? Store { get; set; }

    // Dashboard

    /// <summary>Where the dashboard lives (upstream's <c>APP_ERROR_URL_PREFIX</c>). Default: <c>/dev/error</c>.</summary>
    public string UrlPrefix { get; set; } = "/dev/error";

    /// <summary>Groups per dashboard page (upstream's <c>EXCEPTION_APP_DEFAULT_LIST_SIZE</c>). Default: 10.</summary>
    public int PageSize { get; set; } = 10;

    // Web (used by the ASP.NET Core adapter)

    /// <summary>
    /// Whether responses with a status in <see cref="TrackedStatusCodes"/> are recorded too, grouped by status, method
    /// and route, never by a stack (upstream's <c>TRACK_ALL_EXCEPTIONS</c>, which upstream never implemented). Unhandled exceptions and 5xx
    /// responses are always recorded. Default: <see langword="false"/>.
    /// </summary>
    public bool TrackAllExceptions { get; set; }

    /// <summary>The statuses <see cref="TrackAllExceptions"/> records. Default: 400 to 499.</summary>
    public IList<int> TrackedStatusCodes { get; set; } = [.. Enumerable.Range(400, 100)];

    /// <summary>Characters of a JSON, form or text request body kept; longer bodies are cut with a marker. Default: 65,536.</summary>
    public int MaxRequestBodyLength { get; set; } = 64 * 1024;

    // Notification and ticketing

    /// <summary>Whether notifications are sent (upstream's <c>APP_ERROR_SEND_NOTIFICATION</c>). Default: <see langword="false"/>.</summary>
    public bool SendNotification { get; set; }

    /// <summary>Who is mailed (upstream's <c>APP_ERROR_RECIPIENT_EMAIL</c>); without recipients no mail is sent, while notifiers that need none (webhooks) still notify. Default: none.</summary>
    public IList<string> RecipientEmails { get; set; } = [];

    /// <summary>The subject prefix (upstream's <c>APP_ERROR_SUBJECT_PREFIX</c>). Default: empty.</summary>
    public string SubjectPrefix { get; set; } = "";

    /// <summary>The sender (upstream's <c>APP_ERROR_EMAIL_SENDER</c>); required when there are recipients. Default: none.</summary>
    public string? EmailSender { get; set; }

    /// <summary>
    /// Notify for the first occurrence of a group only (upstream's <c>APP_ERROR_NOTIFICATION_ONCE</c>); when
    /// <see langword="true"/> it overrides <see cref="NotificationPolicy"/> with <see cref="DeliveryPolicy.FirstOccurrence"/>.
    /// Default: <see langword="false"/>.
    /// </summary>
    public bool NotificationOnce { get; set; }

    /// <summary>When a group's occurrences are notified. Default: <see cref="DeliveryPolicy.FirstThenAfterQuietPeriod"/>.</summary>
    public DeliveryPolicy NotificationPolicy { get; set; }

    /// <summary>How long a group must stay quiet before a recurrence is notified again. Default: one hour.</summary>
    public TimeSpan NotificationQuietPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Notifications sent per minute at most, by this process; what is held back is sent as one summary when the
    /// minute is over. 0 turns the cap off. Default: 30.
    /// </summary>
    public int MaxNotificationsPerMinute { get; set; } = 30;

    /// <summary>
    /// Raise a ticket for the first occurrence of a group only and never update it (upstream's
    /// <c>APP_ERROR_TICKET_ONCE</c>); when <see langword="true"/> it overrides <see cref="TicketPolicy"/>. Default: <see langword="false"/>.
    /// </summary>
    public bool TicketOnce { get; set; }

    /// <summary>When a group's ticket is raised and updated. Default: <see cref="DeliveryPolicy.FirstThenAfterQuietPeriod"/>.</summary>
    public DeliveryPolicy TicketPolicy { get; set; }

    /// <summary>How long a group must stay quiet before a recurrence is added to its ticket. Default: one hour.</summary>
    public TimeSpan TicketQuietPeriod { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// The dashboard's absolute address (<c>https://app.example.com/dev/error</c>), for links from notifications and
    /// tickets to a group's page. Default: none, and no links.
    /// </summary>
    public Uri? DashboardUrl { get; set; }

    /// <summary>How many times a notification or ticket is attempted before it is given up and logged. Default: 5.</summary>
    public int DeliveryAttempts { get; set; } = 5;

    /// <summary>The wait before the first retry of a failed delivery; it doubles for each further one, up to a minute. Default: 2 seconds.</summary>
    public TimeSpan DeliveryRetryDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Notifiers used besides those registered in the service collection (upstream's <c>APP_ERROR_NOTIFICATION_MODULE</c>).</summary>
    public IList<INotifier> Notifiers { get; } = [];

    /// <summary>Ticketing used besides those registered in the service collection (upstream's <c>APP_ERROR_TICKETING_MODULE</c>).</summary>
    public IList<ITicketing> Ticketing { get; } = [];

    /// <summary>Context builders used besides those registered in the service collection (upstream's <c>APP_ERROR_CONTEXT_BUILDER_MODULE</c>).</summary>
    public IList<IContextBuilder> ContextBuilders { get; } = [];

    // Plumbing for use without a service provider

    /// <summary>Where the tracker logs its own problems. Default: the registered <see cref="ILoggerFactory"/>, else nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock. Default: the registered <see cref="System.TimeProvider"/>, else the system clock.</summary>
    public TimeProvider? TimeProvider { get; set; }
}
