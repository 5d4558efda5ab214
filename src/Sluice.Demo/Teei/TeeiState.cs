namespace Sluice.Demo.Teei;

/// <summary>
/// The TEEI platform's tables as of a day. Before the first day, companies have joined, their
/// users have accounts and some users have enrolled in programs. Each day, companies now and then
/// grow into the next size band or rebrand (at most once a day, never on the day they join), new
/// companies and users arrive on weekdays, enrollments take their planned steps (matched, then
/// completed, or neither), users enroll, the classifier re-scores a few disputed texts of the
/// last thirty days, and enrolled users write texts whose outcome dimensions are scored — more on
/// weekdays, most after a match. Everything follows from the seed and the first day, so building
/// the same range twice gives the same rows.
/// </summary>
public sealed partial class TeeiState
{
    private readonly long _seed;
    private readonly TeeiScale _scale;
    private readonly TeeiOutcomes _outcomes;
    private readonly Dictionary<TeeiTable, SortedDictionary<string, ITeeiRow>> _rows = [];
    private readonly Dictionary<TeeiTable, long> _counters = [];
    private long _textCounter;

    private TeeiState(long seed, DateOnly first, TeeiScale scale)
    {
        _seed = seed;
        _scale = scale;
        _outcomes = new TeeiOutcomes(seed);
        First = first;
        Last = first.AddDays(-1);
        foreach (var table in TeeiTables.All)
        {
            _rows[table] = new SortedDictionary<string, ITeeiRow>(StringComparer.Ordinal);
            _counters[table] = 0;
        }
    }

    /// <summary>The first day with outcome scores; companies, users and enrollments begin earlier.</summary>
    public DateOnly First { get; }

    /// <summary>The last day applied.</summary>
    public DateOnly Last { get; private set; }

    /// <summary>The rows of <paramref name="table"/> as of <see cref="Last"/>, in the order of their keys' text.</summary>
    public IReadOnlyCollection<ITeeiRow> Rows(TeeiTable table) => _rows[table].Values;

    /// <summary>The rows of <paramref name="table"/> as of <see cref="Last"/>, typed.</summary>
    public IEnumerable<T> Rows<T>(TeeiTable table) => _rows[table].Values.Cast<T>();

    /// <summary>The tables after the initial population and every day from <paramref name="first"/> to <paramref name="last"/>.</summary>
    public static TeeiState Build(long seed, DateOnly first, DateOnly last, TeeiScale? scale = null)
    {
        var state = new TeeiState(seed, first, scale ?? TeeiScale.Default);
        state.Populate();
        while (state.Last < last)
        {
            state.Advance();
        }

        return state;
    }

    /// <summary>Applies the next day and returns what it changed.</summary>
    public TeeiChanges Advance()
    {
        var day = Last.AddDays(1);
        var changes = new Changes(day);
        var random = DemoRandom.For(_seed, day.DayNumber, 1);
        var start = Start(day);
        DateTime At() => start.AddSeconds(random.Next(86_400));

        ChangeCompanies(random, day, At, changes);
        Arrivals(random, day, At, changes);
        TakeSteps(day, changes);
        NewEnrollments(random, day, changes);
        Rescore(random, day, At, changes);
        WriteTexts(random, day, changes);
        Last = day;
        return changes.ToRecord();
    }

    private void Populate()
    {
        var random = DemoRandom.For(_seed, 0);
        var firstStart = Start(First);

        // Dealt rather than drawn, so that enough companies cover every cohort of the benchmarks.
        var industries = Deal(TeeiVocabulary.Industries.Count, _scale.Companies, random);
        var regions = Deal(TeeiVocabulary.Regions.Count, _scale.Companies, random);
        var sizes = Deal(TeeiVocabulary.EmployeeSizes.Count, _scale.Companies, random);
        for (var c = 0; c < _scale.Companies; c++)
        {
            var joined = WorkingTime(random, First.AddDays(-random.Next(60, 720)));
            NewCompany(random, industries[c], regions[c], sizes[c], joined, firstStart, null);
        }

        foreach (var user in Rows<TeeiUserRow>(TeeiTables.Users).ToList())
        {
            if (random.Chance(0.45))
            {
                var from = Max(user.CreatedAt, firstStart.AddDays(-50));
                Enroll(random, user, from.AddSeconds(random.Next((int)(firstStart - from).TotalSeconds)), null);
            }
        }

        foreach (var day in _agenda.Keys.Where(d => d < First).ToList())
        {
            TakeSteps(day, null);
        }
    }

    private void NewCompany(DemoRandom random, int industry, int region, int size, DateTime joined, DateTime usersBefore, Changes? changes)
    {
        // Thirteen is prime to the number of prefixes, so the first companies' names all differ.
        var index = _counters[TeeiTables.Companies];
        var prefixes = TeeiVocabulary.NamePrefixes.Count;
        var prefix = TeeiVocabulary.NamePrefixes[(int)(((index * 13) + (_seed & 0xFFFF)) % prefixes)];
        var round = index >= prefixes ? $" {(index / prefixes) + 1}" : "";
        var name = $"{prefix}{round} {random.Pick(TeeiVocabulary.IndustryWords[industry])} {TeeiVocabulary.LegalForms[region]}";
        var company = new TeeiCompanyRow(NextId(TeeiTables.Companies), name, TeeiVocabulary.Industries[industry], TeeiVocabulary.Regions[region], TeeiVocabulary.EmployeeSizes[size], joined, joined);
        Write(changes, TeeiTables.Companies, company);
        _outcomes.AddCompany(company.Id, random);

        var (min, max) = TeeiVocabulary.UsersBySize[size];
        var users = Math.Max(2, (int)Math.Round(random.Next(min, max + 1) * _scale.UsersPerCompany));
        var span = (int)(usersBefore - joined).TotalSeconds;
        for (var u = 0; u < users; u++)
        {
            NewUser(random, company, joined.AddSeconds(random.Next(span)), changes);
        }
    }

    private void NewUser(DemoRandom random, TeeiCompanyRow company, DateTime at, Changes? changes)
    {
        var user = new TeeiUserRow(NextId(TeeiTables.Users), company.Id, at, at);
        Write(changes, TeeiTables.Users, user);
        _outcomes.AddUser(user.Id, company, random);
    }

    // Companies grow into the next size band or rebrand; a row changes at most once a day, and
    // not on the day it was made.
    private void ChangeCompanies(DemoRandom random, DateOnly day, Func<DateTime> at, Changes changes)
    {
        var sizes = TeeiVocabulary.EmployeeSizes;
        foreach (var company in Rows<TeeiCompanyRow>(TeeiTables.Companies).Where(c => c.CreatedAt < Start(day)).ToList())
        {
            var size = sizes.ToList().IndexOf(company.EmployeeSize);
            if (random.Chance(0.002) && size < sizes.Count - 1)
            {
                Write(changes, TeeiTables.Companies, company with { EmployeeSize = sizes[size + 1], UpdatedAt = at() });
            }
            else if (random.Chance(0.0015) && !company.Name.Contains(" Group ", StringComparison.Ordinal))
            {
                var legal = TeeiVocabulary.LegalForms[TeeiVocabulary.Regions.ToList().IndexOf(company.Region)];
                Write(changes, TeeiTables.Companies, company with { Name = $"{company.Name[..^(legal.Length + 1)]} Group {legal}", UpdatedAt = at() });
            }
        }
    }

    // New companies sign up, and companies' new people get accounts, on weekdays.
    private void Arrivals(DemoRandom random, DateOnly day, Func<DateTime> at, Changes changes)
    {
        if (IsWeekend(day))
        {
            return;
        }

        var end = Start(day).AddDays(1);
        foreach (var company in Rows<TeeiCompanyRow>(TeeiTables.Companies).Where(c => c.CreatedAt < Start(day)).ToList())
        {
            if (random.Chance(0.1))
            {
                NewUser(random, company, at(), changes);
            }
        }

        if (random.Chance(_scale.NewCompanyChance))
        {
            var industries = TeeiVocabulary.Industries.Count;
            var regions = TeeiVocabulary.Regions.Count;
            NewCompany(random, random.Next(industries), random.Next(regions), random.Next(TeeiVocabulary.EmployeeSizes.Count), at(), end, changes);
        }
    }

    private void Write(Changes? changes, TeeiTable table, ITeeiRow row)
    {
        _rows[table][Text(row.Key)] = row;
        changes?.Write(table, row);
    }

    // Keys are made from the seed, the table and a count, so equal runs make equal keys.
    private Guid NextId(TeeiTable table) => Uuid(DemoRandom.For(_seed, TeeiTables.All.ToList().IndexOf(table) + 100, _counters[table]++));

    private Guid NextTextId() => Uuid(DemoRandom.For(_seed, 200, _textCounter++));

    private static Guid Uuid(DemoRandom random)
    {
        Span<byte> bytes = stackalloc byte[16];
        BitConverter.TryWriteBytes(bytes, random.NextBits());
        BitConverter.TryWriteBytes(bytes[8..], random.NextBits());
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x40);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes);
    }

    // 0 … kinds-1 over and over, shuffled: every kind appears once there are as many items.
    private static int[] Deal(int kinds, int count, DemoRandom random)
    {
        var dealt = Enumerable.Range(0, count).Select(i => i % kinds).ToArray();
        for (var i = count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (dealt[i], dealt[j]) = (dealt[j], dealt[i]);
        }

        return dealt;
    }

    // A time in working hours on the day, or on the Monday after when the day is a weekend.
    private static DateTime WorkingTime(DemoRandom random, DateOnly day)
    {
        while (IsWeekend(day))
        {
            day = day.AddDays(1);
        }

        return Start(day).AddHours(9).AddSeconds(random.Next(8 * 3600));
    }

    // Times are whole seconds, as the CSV files write them and PostgreSQL then keeps them.
    private static DateTime Hour(DateTime dayStart, double hours) => dayStart.AddSeconds((int)(hours * 3600));

    private static bool IsWeekend(DateOnly day) => day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday;

    private static DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);

    private static string Text(Guid key) => key.ToString("D");

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    // A day's changes, with only the last written form of a row kept.
    private sealed class Changes(DateOnly day)
    {
        private readonly Dictionary<TeeiTable, SortedDictionary<string, ITeeiRow>> _written = [];

        public void Write(TeeiTable table, ITeeiRow row)
        {
            if (!_written.TryGetValue(table, out var rows))
            {
                _written[table] = rows = new SortedDictionary<string, ITeeiRow>(StringComparer.Ordinal);
            }

            rows[Text(row.Key)] = row;
        }

        public TeeiChanges ToRecord() => new(
            day,
            TeeiTables.All.ToDictionary(t => t, t => (IReadOnlyList<ITeeiRow>)(_written.TryGetValue(t, out var rows) ? [.. rows.Values] : [])));
    }
}
