using System.Collections.Specialized;
using System.Text.Json;
using ErrorTracking.Capture;
using ErrorTracking.Configuration;
using ErrorTracking.Masking;
using ErrorTracking.Records;
using ErrorTracking.Rendering;

namespace ErrorTracking.Tests.Capture;

public sealed class ValueRendererTests
{
    private const string Mask = "[masked]";

    private static ValueRenderer Renderer(int maxString = 10_000, int maxItems = 1_000, int maxDepth = 100, int maxNodes = 10_000) => new(
        new SecretMasker(new KeyFragmentMaskingRule(ErrorTrackerOptions.DefaultMaskedKeys, Mask), Mask, maskText: true, []),
        new CaptureLimits(maxString, maxItems, maxDepth, maxNodes));

    private static RecordedValue Child(RecordedValue value, string name) => value.Children.Single(c => c.Name == name).Value;

    [Test]
    public void A_poco_password_property_is_masked_and_its_name_kept()
    {
        var value = Renderer().RenderNamed("user", new Account("bob", "hunter2"));

        value.Kind.Should().Be(RecordedValueKind.Object);
        value.TypeName.Should().Be("ValueRendererTests.Account");
        Child(value, "Name").Text.Should().Be("bob");
        Child(value, "Password").Kind.Should().Be(RecordedValueKind.Masked);
        Child(value, "Password").Text.Should().Be(Mask);
        ValueText.Format(value).Should().NotContain("hunter2");
    }

    [Test]
    public void Dictionaries_inside_lists_inside_objects_are_walked()
    {
        var payload = new
        {
            Items = new List<object>
            {
                new Dictionary<string, object?> { ["sku"] = "A-1", ["secret"] = "s1" },
                new Dictionary<string, object?> { ["nested"] = new Dictionary<string, string> { ["api_key"] = "k1" } },
            },
        };

        var text = ValueText.Format(Renderer().RenderNamed("payload", payload));

        text.Should().Contain("A-1").And.NotContain("s1").And.NotContain("k1");
        text.Should().Contain("secret: " + Mask).And.Contain("api_key: " + Mask);
    }

    [Test]
    public void List_elements_are_not_masked_by_the_list_name_alone()
    {
        // As upstream: a list's elements have no names of their own; masking is by name.
        var value = Renderer().RenderNamed("tags", new[] { "public", "visible" });

        value.Children.Select(c => c.Value.Text).Should().Equal("public", "visible");
    }

    [Test]
    public void A_list_named_as_a_secret_is_masked_whole()
    {
        Renderer().RenderNamed("passwords", new[] { "a", "b" }).Kind.Should().Be(RecordedValueKind.Masked);
    }

    [Test]
    public void Key_value_pairs_json_and_name_value_collections_mask_by_key()
    {
        var renderer = Renderer();
        var pairs = new List<KeyValuePair<string, string>> { new("user", "bob"), new("pwd", "hunter2") };
        using var json = JsonDocument.Parse("""{"user":"bob","auth":{"token":"t0k3n","scopes":["a","b"]}}""");
        var form = new NameValueCollection { ["user"] = "bob", ["password"] = "hunter2" };

        var rendered = new[] { renderer.RenderNamed("pairs", pairs), renderer.RenderNamed("json", json.RootElement), renderer.RenderNamed("form", form) }
            .Select(ValueText.Format)
            .ToList();

        rendered.Should().AllSatisfy(text => text.Should().Contain("bob").And.NotContain("hunter2").And.NotContain("t0k3n"));
        rendered[1].Should().Contain("scopes");
    }

    [Test]
    public void Secrets_inside_string_values_are_masked_by_shape()
    {
        var value = Renderer().RenderNamed("connection", "Host=db;Password=hunter2;Database=shop");

        value.Text.Should().Be("Host=db;Password=" + Mask + ";Database=shop");
    }

    [Test]
    public void Cycles_are_detected()
    {
        var parent = new Node { Name = "parent" };
        parent.Next = new Node { Name = "child", Next = parent };

        var value = Renderer().RenderNamed("node", parent);

        var child = Child(value, "Next");
        Child(child, "Name").Text.Should().Be("child");
        Child(child, "Next").Kind.Should().Be(RecordedValueKind.Cycle);
    }

    [Test]
    public void The_same_object_twice_side_by_side_is_not_a_cycle()
    {
        var shared = new Node { Name = "shared" };

        var value = Renderer().RenderNamed("pair", new { First = shared, Second = shared });

        Child(Child(value, "Second"), "Name").Text.Should().Be("shared");
    }

    [Test]
    public void A_getter_that_throws_is_shown_as_such_and_the_rest_still_rendered()
    {
        var value = Renderer().RenderNamed("thing", new Throwing());

        Child(value, "Broken").Kind.Should().Be(RecordedValueKind.Error);
        Child(value, "Broken").Text.Should().Be("<InvalidOperationException raised while rendering value>");
        Child(value, "Fine").Text.Should().Be("ok");
    }

    [Test]
    public void A_throwing_to_string_is_shown_as_such()
    {
        var value = Renderer().RenderNamed("thing", new ThrowingToString());

        value.Text.Should().Be("<NotSupportedException raised while rendering value>");
    }

    [Test]
    public void Long_strings_are_cut_with_an_ellipsis()
    {
        Renderer(maxString: 5).RenderNamed("s", "abcdefgh").Text.Should().Be("abcde...");
    }

    [Test]
    public void Long_collections_keep_their_first_items_and_their_count()
    {
        var value = Renderer(maxItems: 3).RenderNamed("numbers", Enumerable.Range(0, 10).ToList());

        value.Children.Select(c => c.Value.Text).Should().Equal("0", "1", "2");
        value.OriginalCount.Should().Be(10);
        ValueText.Format(value).Should().Be("[0, 1, 2, ... 7 more]");
    }

    [Test]
    public void Nesting_is_bounded()
    {
        var deep = new Node { Name = "0" };
        var current = deep;
        for (var i = 1; i < 10; i++)
        {
            current.Next = new Node { Name = i.ToString(System.Globalization.CultureInfo.InvariantCulture) };
            current = current.Next;
        }

        var value = Renderer(maxDepth: 3).RenderNamed("deep", deep);

        Child(Child(Child(value, "Next"), "Next"), "Next").Kind.Should().Be(RecordedValueKind.Truncated);
    }

    [Test]
    public void The_node_budget_bounds_a_huge_graph()
    {
        var wide = Enumerable.Range(0, 500).Select(i => new { Index = i, Items = Enumerable.Range(0, 50).ToArray() }).ToList();

        var value = Renderer(maxNodes: 100).RenderNamed("wide", wide);

        var text = ValueText.Format(value);
        text.Should().Contain("rendering budget exhausted");
        text.Length.Should().BeLessThan(20_000);
    }

    [Test]
    public void Lazy_sequences_are_not_enumerated()
    {
        var enumerated = false;
        IEnumerable<int> Lazy()
        {
            enumerated = true;
            yield return 1;
        }

        var value = Renderer().RenderNamed("query", Lazy().Select(x => x * 2));

        value.Kind.Should().Be(RecordedValueKind.Skipped);
        enumerated.Should().BeFalse();
    }

    [Test]
    public void Dangerous_or_useless_values_are_skipped()
    {
        using var cancellation = new CancellationTokenSource();
        using var stream = new MemoryStream();
        var renderer = Renderer();

        foreach (var value in new object[] { (Action)(() => { }), Task.CompletedTask, stream, cancellation.Token, cancellation, typeof(string) })
        {
            renderer.RenderNamed("value", value).Kind.Should().Be(RecordedValueKind.Skipped, value.GetType().Name);
        }
    }

    [Test]
    public void Scalars_render_invariantly()
    {
        var renderer = Renderer();

        renderer.RenderNamed("n", 1234.5m).Text.Should().Be("1234.5");
        renderer.RenderNamed("d", new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc)).Text.Should().Be("2026-01-02T03:04:05.0000000Z");
        renderer.RenderNamed("e", DayOfWeek.Friday).Text.Should().Be("Friday");
        renderer.RenderNamed("g", Guid.Empty).Text.Should().Be("00000000-0000-0000-0000-000000000000");
        renderer.RenderNamed("nothing", null).Kind.Should().Be(RecordedValueKind.Null);
    }

    [Test]
    public void Members_of_a_variables_bag_become_named_values()
    {
        var orderId = 42;
        var password = "hunter2";

        var renderer = Renderer();
        var members = renderer.RenderMembers(new { orderId, password }, renderer.NewBudget());

        members.Select(m => m.Name).Should().Equal("orderId", "password");
        members[0].Value.Text.Should().Be("42");
        members[1].Value.Kind.Should().Be(RecordedValueKind.Masked);
    }

    private sealed record Account(string Name, string Password);

    private sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    private sealed class Throwing
    {
        public string Broken => throw new InvalidOperationException("no");

        public string Fine => "ok";
    }

    private sealed class ThrowingToString
    {
        public override string ToString() => throw new NotSupportedException();
    }
}
