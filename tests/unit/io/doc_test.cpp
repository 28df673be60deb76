// The located YAML tree: locations, merge rules, extends chains, remove, --set, emitting.
#include <catch2/catch.hpp>

#include <string>

#include "io/doc.hpp"

using ts::Diagnostics;
using ts::InputError;
using ts::io::Doc;
using ts::io::DocKind;

namespace {

const std::string kData = std::string(TRADESIM_SOURCE_DIR) + "/tests/unit/io/data/doc";

/// The node at a dotted path; list items by their merge key. Fails the test if absent.
const Doc& at(const Doc& root, const std::string& dotted) {
    const Doc* node = &root;
    std::string list_key;
    std::size_t begin = 0;
    while (begin <= dotted.size()) {
        const std::size_t dot = std::min(dotted.find('.', begin), dotted.size());
        const std::string seg = dotted.substr(begin, dot - begin);
        const Doc* next = nullptr;
        if (node->is_map()) {
            next = node->find(seg);
            list_key = seg;
        } else if (node->is_sequence()) {
            for (const Doc& item : node->items) {
                const Doc* k = item.find(ts::io::merge_key_for(list_key));
                if (k && k->scalar == seg) next = &item;
            }
            list_key.clear();
        }
        INFO("path " << dotted << " at " << seg);
        REQUIRE(next != nullptr);
        node = next;
        begin = dot + 1;
    }
    return *node;
}

std::string scalar(const Doc& root, const std::string& dotted) {
    const Doc& node = at(root, dotted);
    REQUIRE(node.is_scalar());
    return node.scalar;
}

std::vector<std::string> item_keys(const Doc& list, const std::string& key) {
    std::vector<std::string> out;
    for (const Doc& item : list.items) out.push_back(item.find(key) ? item.find(key)->scalar : "?");
    return out;
}

std::vector<std::string> scalars(const Doc& list) {
    std::vector<std::string> out;
    for (const Doc& item : list.items) out.push_back(item.scalar);
    return out;
}

std::vector<std::string> formatted(const Diagnostics& diags) {
    std::vector<std::string> out;
    for (const auto& d : diags.items()) out.push_back(d.format());
    return out;
}

}  // namespace

TEST_CASE("parse_yaml records 1-based lines and columns of keys and values", "[doc]") {
    const Doc doc = ts::io::parse_yaml(
        "name: x\ntime:\n  start: 2022-01\n  ticks:   3\nlist:\n  - a\n  - {b: 1}\n", "f.yaml");
    REQUIRE(doc.is_map());
    REQUIRE(doc.entries.size() == 3);
    CHECK(doc.entries[0].key == "name");
    CHECK(doc.entries[0].key_loc.file == "f.yaml");
    CHECK(doc.entries[0].key_loc.line == 1);
    CHECK(doc.entries[0].key_loc.column == 1);
    CHECK(doc.entries[0].value.loc.line == 1);
    CHECK(doc.entries[0].value.loc.column == 7);

    const ts::io::DocEntry* ticks = at(doc, "time").find_entry("ticks");
    REQUIRE(ticks != nullptr);
    CHECK(ticks->key_loc.line == 4);
    CHECK(ticks->key_loc.column == 3);
    CHECK(ticks->value.loc.line == 4);
    CHECK(ticks->value.loc.column == 12);

    const Doc& list = at(doc, "list");
    REQUIRE(list.items.size() == 2);
    CHECK(list.items[0].loc.line == 6);
    CHECK(list.items[0].loc.column == 5);
    const ts::io::DocEntry* b = list.items[1].find_entry("b");
    REQUIRE(b != nullptr);
    CHECK(b->key_loc.line == 7);
    CHECK(b->key_loc.column == 6);
    CHECK(b->value.loc.column == 9);
}

TEST_CASE("scalars keep their raw text; only plain null spellings are null", "[doc]") {
    const Doc doc = ts::io::parse_yaml(
        "a: NO\nb: yes\nc: '~'\nd: ~\ne:\nf: \"null\"\ng: 0x10\nh: 1e5\ni: .nan\n", "f.yaml");
    CHECK(scalar(doc, "a") == "NO");
    CHECK(scalar(doc, "b") == "yes");
    CHECK(scalar(doc, "c") == "~");
    CHECK(at(doc, "d").is_null());
    CHECK(at(doc, "e").is_null());
    // An empty value is located at its key, not at the next token.
    CHECK(at(doc, "e").loc.line == 5);
    CHECK(scalar(doc, "f") == "null");
    CHECK(scalar(doc, "g") == "0x10");
    CHECK(scalar(doc, "h") == "1e5");
    CHECK(scalar(doc, "i") == ".nan");
}

TEST_CASE("YAML syntax errors carry file, line and column", "[doc]") {
    Diagnostics diags;
    const auto doc =
        ts::io::parse_yaml("name: x\ntime: {start: 2022-01, ticks: [1, 2}\n", "bad.yaml", diags);
    CHECK_FALSE(doc.has_value());
    REQUIRE(diags.items().size() == 1);
    CHECK(diags.items()[0].loc.file == "bad.yaml");
    CHECK(diags.items()[0].loc.line == 2);
    CHECK(diags.items()[0].loc.column > 0);
    CHECK_THAT(diags.items()[0].message, Catch::StartsWith("invalid YAML: "));
    CHECK_THROWS_AS(ts::io::parse_yaml("a: [", "bad.yaml"), InputError);
}

TEST_CASE("duplicate keys and invalid UTF-8 are reported", "[doc]") {
    Diagnostics diags;
    const auto doc =
        ts::io::parse_yaml("time:\n  ticks: 1\n  ticks: 2\nok: \xC3\xA9\n", "d.yaml", diags);
    REQUIRE(doc.has_value());
    CHECK(scalar(*doc, "time.ticks") == "1");
    CHECK(scalar(*doc, "ok") == "\xC3\xA9");
    CHECK(formatted(diags) ==
          std::vector<std::string>{
              "d.yaml:3:3: error: time: duplicate key 'ticks' (first at line 2)"});
    // Bytes that are not UTF-8 stop the file before it is parsed, at the first bad byte.
    Diagnostics bad;
    const auto none = ts::io::parse_yaml("name: ok\nname2: \xFF\xFE\n", "u.yaml", bad);
    CHECK_FALSE(none.has_value());
    REQUIRE(bad.error_count() == 1);
    CHECK_THAT(formatted(bad)[0],
               Catch::StartsWith("u.yaml:2:8: error: invalid UTF-8 (byte 0xFF)"));
}

TEST_CASE("merge: maps by key, keyed lists item by item, other values replaced", "[doc][merge]") {
    Doc base = ts::io::parse_yaml(R"(
time: {start: 2022-01, ticks: 12}
countries: [{code: USA, groups: [tier1]}, {code: CHN, groups: [D5]}]
routes: [{via: SGP, markup: 0.05}]
suppliers:
  - id: nvidia
    offers: [{product: H100, price: 1, capacity: 5}, {product: H20, price: 2}]
policies:
  - {id: p1, rate: 0.1, products: {any: [{tpp_min: 1}, {tpp_min: 2}]}}
seed: 1
tags: [a, b]
)",
                                  "base.yaml");
    const Doc overlay = ts::io::parse_yaml(R"(
time: {ticks: 24}
countries: [{code: CHN, groups: [tier3]}, {code: MYS}]
routes: [{via: SGP, delay: 3}]
suppliers:
  - id: nvidia
    offers: [{product: H20, capacity: 7}]
policies:
  - {id: p1, products: {any: [{tpp_min: 3}]}}
  - {id: p2, rate: 0.2}
seed: 2
tags: []
)",
                                           "over.yaml");
    ts::io::merge(base, overlay);

    CHECK(scalar(base, "time.start") == "2022-01");
    CHECK(scalar(base, "time.ticks") == "24");
    CHECK(at(base, "time.ticks").loc.file == "over.yaml");
    CHECK(at(base, "time.start").loc.file == "base.yaml");

    const Doc& countries = at(base, "countries");
    CHECK(item_keys(countries, "code") == std::vector<std::string>{"USA", "CHN", "MYS"});
    CHECK(scalars(at(base, "countries.CHN.groups")) ==
          std::vector<std::string>{"tier3"});  // plain list replaced
    CHECK(scalars(at(base, "countries.USA.groups")) == std::vector<std::string>{"tier1"});

    CHECK(scalar(base, "routes.SGP.markup") == "0.05");  // routes merge by `via`
    CHECK(scalar(base, "routes.SGP.delay") == "3");

    const Doc& offers = at(base, "suppliers.nvidia.offers");  // offers merge by `product`
    CHECK(item_keys(offers, "product") == std::vector<std::string>{"H100", "H20"});
    CHECK(scalar(base, "suppliers.nvidia.offers.H20.price") == "2");
    CHECK(scalar(base, "suppliers.nvidia.offers.H20.capacity") == "7");
    CHECK(scalar(base, "suppliers.nvidia.offers.H100.capacity") == "5");

    CHECK(item_keys(at(base, "policies"), "id") == std::vector<std::string>{"p1", "p2"});
    CHECK(scalar(base, "policies.p1.rate") == "0.1");
    // A list of maps without merge keys is replaced wholesale.
    const Doc& any = at(base, "policies.p1.products.any");
    REQUIRE(any.items.size() == 1);
    CHECK(any.items[0].find("tpp_min")->scalar == "3");

    CHECK(scalar(base, "seed") == "2");
    CHECK(at(base, "tags").items.empty());  // an explicit empty list replaces
}

TEST_CASE("extends chains resolve relative paths and keep each value's own file",
          "[doc][extends]") {
    Diagnostics diags;
    const auto doc = ts::io::load_doc(kData + "/variants/grandchild.yaml", diags);
    CHECK(formatted(diags).empty());
    REQUIRE(doc.has_value());
    CHECK(doc->find("extends") == nullptr);
    CHECK(doc->find("remove") == nullptr);

    CHECK(scalar(*doc, "name") == "grandchild");
    CHECK(scalar(*doc, "time.start") == "2022-01");
    CHECK(scalar(*doc, "time.ticks") == "24");
    CHECK(item_keys(at(*doc, "countries"), "code") ==
          std::vector<std::string>{"USA", "CHN", "SGP", "MYS"});
    CHECK(scalars(at(*doc, "countries.CHN.groups")) == std::vector<std::string>{"D5", "tier3"});
    CHECK(scalar(*doc, "suppliers.nvidia.offers.H100.price") == "25000");
    CHECK(scalar(*doc, "suppliers.nvidia.offers.H100.capacity") == "200");
    CHECK(scalar(*doc, "routes.SGP.markup") == "0.07");
    CHECK(item_keys(at(*doc, "policies"), "id") ==
          std::vector<std::string>{"p2", "p3"});  // p1 removed
    CHECK(scalar(*doc, "policies.p2.rate") == "0.3");
    CHECK(scalar(*doc, "policies.p2.by") == "USA");

    // Locations point into the file each value came from.
    const ts::SourceLoc& start = at(*doc, "time.start").loc;
    CHECK(start.file == kData + "/base.yaml");
    CHECK(start.line == 3);
    CHECK(start.column == 15);
    CHECK(at(*doc, "time.ticks").loc.file == kData + "/child.yaml");
    CHECK(at(*doc, "routes.SGP.markup").loc.file == kData + "/variants/grandchild.yaml");
    // Top-level problems are reported against the file the user named.
    CHECK(doc->loc.file == kData + "/variants/grandchild.yaml");
}

TEST_CASE("remove deletes inherited items: list form and map form", "[doc][extends]") {
    const std::string pseudo = kData + "/inline.yaml";
    SECTION("list form searches every keyed list") {
        Diagnostics diags;
        const auto doc =
            ts::io::load_doc_text("extends: base.yaml\nremove: [p1, H100, USA]\n", pseudo, diags);
        CHECK(formatted(diags).empty());
        REQUIRE(doc.has_value());
        CHECK(item_keys(at(*doc, "policies"), "id") == std::vector<std::string>{"p2"});
        CHECK(at(*doc, "products").items.empty());
        CHECK(item_keys(at(*doc, "countries"), "code") == std::vector<std::string>{"CHN", "SGP"});
    }
    SECTION("an id in several lists needs the map form") {
        Diagnostics diags;
        const auto doc =
            ts::io::load_doc_text("extends: base.yaml\nremove: [SGP]\n", pseudo, diags);
        REQUIRE(doc.has_value());
        CHECK(formatted(diags) ==
              std::vector<std::string>{
                  pseudo +
                  ":2:10: error: remove[0]: 'SGP' names items in several lists "
                  "(countries, routes): use the map form, e.g. remove: {countries: [SGP]}"});
        CHECK(at(*doc, "routes").items.size() == 1);
    }
    SECTION("map form removes from the named list only, before the child's own items") {
        Diagnostics diags;
        const auto doc = ts::io::load_doc_text(
            "extends: base.yaml\nremove: {routes: [SGP], policies: [p1, p2]}\npolicies: [{id: p2, "
            "rate: 0.9}]\n",
            pseudo, diags);
        CHECK(formatted(diags).empty());
        REQUIRE(doc.has_value());
        CHECK(at(*doc, "routes").items.empty());
        CHECK(item_keys(at(*doc, "countries"), "code") ==
              std::vector<std::string>{"USA", "CHN", "SGP"});
        // p2 was removed, then the child's own p2 added: only its own keys remain.
        REQUIRE(at(*doc, "policies").items.size() == 1);
        CHECK(at(*doc, "policies.p2").entries.size() == 2);
        CHECK(scalar(*doc, "policies.p2.rate") == "0.9");
    }
    SECTION("unknown ids and lists get did-you-mean suggestions") {
        Diagnostics diags;
        const auto doc = ts::io::load_doc_text("extends: base.yaml\nremove: [p4]\n", pseudo, diags);
        const auto doc2 = ts::io::load_doc_text(
            "extends: base.yaml\nremove: {polices: [p1], routes: [SGX]}\n", pseudo, diags);
        CHECK(formatted(diags) ==
              std::vector<std::string>{
                  pseudo + ":2:10: error: remove[0]: cannot remove 'p4': no inherited item has "
                           "this id (did you mean 'p1'?)",
                  pseudo + ":2:10: error: remove: unknown list 'polices' (did you mean "
                           "'policies'?); expected one of: "
                           "countries, products, suppliers, buyers, routes, policies, reactions",
                  pseudo + ":2:34: error: remove.routes[0]: cannot remove 'SGX': no inherited item "
                           "of 'routes' has "
                           "this via (did you mean 'SGP'?)",
              });
    }
    SECTION("remove without extends is an error") {
        Diagnostics diags;
        const auto doc = ts::io::load_doc_text("name: x\nremove: [a]\n", pseudo, diags);
        CHECK(formatted(diags) ==
              std::vector<std::string>{pseudo + ":2:1: error: remove: 'remove' needs 'extends': "
                                                "there are no inherited items to remove"});
    }
}

TEST_CASE("extends cycles, missing files and broken parents stop loading", "[doc][extends]") {
    SECTION("cycle") {
        Diagnostics diags;
        const auto doc = ts::io::load_doc(kData + "/cycle_a.yaml", diags);
        CHECK_FALSE(doc.has_value());
        CHECK(formatted(diags) ==
              std::vector<std::string>{
                  kData + "/cycle_b.yaml:1:10: error: extends: extends cycle: " + kData +
                  "/cycle_a.yaml -> " + kData + "/cycle_b.yaml -> " + kData + "/cycle_a.yaml"});
    }
    SECTION("a file extending itself") {
        Diagnostics diags;
        const auto doc =
            ts::io::load_doc_text("name: x\nextends: self.yaml\n", kData + "/self.yaml", diags);
        CHECK_FALSE(doc.has_value());
        CHECK(formatted(diags) ==
              std::vector<std::string>{kData + "/self.yaml:2:10: error: extends: extends cycle: " +
                                       kData + "/self.yaml -> " + kData + "/self.yaml"});
    }
    SECTION("missing file") {
        Diagnostics diags;
        const auto doc =
            ts::io::load_doc_text("name: x\nextends: nowhere.yaml\n", kData + "/x.yaml", diags);
        CHECK_FALSE(doc.has_value());
        CHECK(formatted(diags) ==
              std::vector<std::string>{kData + "/x.yaml:2:10: error: extends: cannot open '" +
                                       kData + "/nowhere.yaml': no such file"});
    }
    SECTION("syntax error in the parent is reported with the parent's name") {
        Diagnostics diags;
        const auto doc = ts::io::load_doc(kData + "/broken_parent.yaml", diags);
        CHECK_FALSE(doc.has_value());
        REQUIRE(diags.items().size() == 1);
        CHECK(diags.items()[0].loc.file == kData + "/broken_base.yaml");
        CHECK(diags.items()[0].loc.line == 2);
    }
    SECTION("missing top-level file") {
        Diagnostics diags;
        CHECK_FALSE(ts::io::load_doc(kData + "/none.yaml", diags).has_value());
        CHECK(formatted(diags) == std::vector<std::string>{"error: cannot open scenario file '" +
                                                           kData + "/none.yaml': no such file"});
    }
}

TEST_CASE("set overrides scalars, creates keys and addresses list items by merge key",
          "[doc][set]") {
    Doc doc = ts::io::parse_yaml(R"(
time: {start: 2022-01, ticks: 12}
policies:
  - {id: us-oct-2023, license: {approval: 0.1}}
  - {id: v1.2, rate: 0.1}
suppliers:
  - id: nvidia
    offers: [{product: H100, capacity: 5}]
description: ~
)",
                                 "s.yaml");
    Diagnostics diags;
    SECTION("scalar, with the location of its value") {
        REQUIRE(ts::io::apply_override(doc, "time.ticks=48", 1, diags));
        CHECK(scalar(doc, "time.ticks") == "48");
        CHECK(at(doc, "time.ticks").loc.file == "--set");
        CHECK(at(doc, "time.ticks").loc.line == 1);
        CHECK(at(doc, "time.ticks").loc.column == 12);
        // The key keeps its place and location.
        CHECK(at(doc, "time").entries[1].key_loc.file == "s.yaml");
    }
    SECTION("missing keys and intermediate maps are created") {
        REQUIRE(ts::io::apply_override(doc, "time.step=quarter", 1, diags));
        REQUIRE(ts::io::apply_override(doc, "transport.delay=2", 2, diags));
        REQUIRE(ts::io::apply_override(doc, "description.x=1", 3, diags));
        CHECK(scalar(doc, "time.step") == "quarter");
        CHECK(scalar(doc, "transport.delay") == "2");
        CHECK(scalar(doc, "description.x") == "1");
        CHECK(at(doc, "time").find_entry("step")->key_loc.column == 6);
        CHECK(doc.find_entry("transport")->key_loc.line == 2);
    }
    SECTION("keyed list items, nested keyed lists and dotted ids") {
        REQUIRE(ts::io::apply_override(doc, "policies.us-oct-2023.license.approval=0.2", 1, diags));
        REQUIRE(ts::io::apply_override(doc, "suppliers.nvidia.offers.H100.capacity=9", 2, diags));
        REQUIRE(ts::io::apply_override(doc, "policies.v1.2.rate=0.5", 3, diags));
        CHECK(scalar(doc, "policies.us-oct-2023.license.approval") == "0.2");
        CHECK(scalar(doc, "suppliers.nvidia.offers.H100.capacity") == "9");
        CHECK(doc.find("policies")->items[1].find("rate")->scalar == "0.5");
        CHECK(formatted(diags).empty());
    }
    SECTION("flow values are parsed as YAML") {
        REQUIRE(ts::io::apply_override(
            doc, "policies.us-oct-2023.license={approval: 0.2, delay: 3}", 1, diags));
        REQUIRE(ts::io::apply_override(doc, "tags=[a, NO]", 2, diags));
        const Doc& license = at(doc, "policies.us-oct-2023.license");
        REQUIRE(license.is_map());
        CHECK(license.entries.size() == 2);
        CHECK(scalar(doc, "policies.us-oct-2023.license.delay") == "3");
        const ts::SourceLoc& loc = at(doc, "policies.us-oct-2023.license.delay").loc;
        CHECK(loc.file == "--set");
        // "policies.us-oct-2023.license=" is 29 characters; in the value, `delay` is at 17 and 3
        // at 24.
        CHECK(loc.column == 29 + 24);
        CHECK(license.entries[1].key_loc.column == 29 + 17);
        CHECK(scalars(at(doc, "tags")) == std::vector<std::string>{"a", "NO"});
    }
    SECTION("unknown items get a did-you-mean") {
        REQUIRE(ts::io::apply_override(doc, "time.ticks=2", 1, diags));
        CHECK_FALSE(
            ts::io::apply_override(doc, "policies.us-oct-2024.license.approval=0.2", 2, diags));
        CHECK_FALSE(
            ts::io::apply_override(doc, "suppliers.nvidia.offers.H10.capacity=1", 3, diags));
        CHECK(formatted(diags) == std::vector<std::string>{
                                      "--set:2:10: error: policies: no item with id 'us-oct-2024' "
                                      "in 'policies' (did you mean "
                                      "'us-oct-2023'?)",
                                      "--set:3:25: error: suppliers[nvidia].offers: no item with "
                                      "product 'H10' in 'offers' (did you mean "
                                      "'H100'?)",
                                  });
    }
    SECTION("malformed overrides") {
        CHECK_FALSE(ts::io::apply_override(doc, "time.ticks", 1, diags));
        CHECK_FALSE(ts::io::apply_override(doc, "=3", 2, diags));
        CHECK_FALSE(ts::io::apply_override(doc, "time..ticks=3", 3, diags));
        CHECK_FALSE(ts::io::apply_override(doc, "time.start.x=3", 4, diags));
        CHECK_FALSE(ts::io::apply_override(doc, "time.ticks=[1, 2", 5, diags));
        CHECK_FALSE(ts::io::apply_override(doc, "extends=base.yaml", 6, diags));
        const auto lines = formatted(diags);
        REQUIRE(lines.size() == 6);
        CHECK(lines[0] == "--set:1:1: error: malformed override 'time.ticks': expected PATH=VALUE");
        CHECK(lines[1] ==
              "--set:2:1: error: malformed override '=3': the path before '=' is empty");
        CHECK(lines[2] ==
              "--set:3:6: error: malformed override 'time..ticks=3': empty key in path "
              "'time..ticks'");
        CHECK(lines[3] ==
              "--set:4:12: error: time.start: cannot set 'x' inside 'time.start': it is a single "
              "value, "
              "not a map");
        CHECK_THAT(lines[4],
                   Catch::StartsWith("--set:5:") && Catch::Contains("time.ticks: invalid YAML: "));
        CHECK(lines[5] == "--set:6:1: error: 'extends' cannot be set with --set");
        CHECK(scalar(doc, "time.ticks") == "12");
    }
}

TEST_CASE("emit_yaml writes block YAML that parses back to the same tree", "[doc][emit]") {
    Doc doc = Doc::make_map();
    const std::vector<std::string> tricky = {"NO",  "~",  "null", "",    " lead", "trail ", "a: b",
                                             "- x", "#c", "x #y", "[a]", "{a",    "a,b",    "'q",
                                             "\"q", "@x", "a\nb", "\t",  "1e5",   "007",    "true",
                                             "é ü", "*x", "&x",   "!x",  "%x",    "|"};
    Doc list = Doc::make_sequence();
    for (const std::string& s : tricky) list.items.push_back(Doc::make_scalar(s));
    doc.set("strings", list);
    Doc keyed = Doc::make_map();
    for (std::size_t i = 0; i < tricky.size(); ++i)
        keyed.set(tricky[i], Doc::make_scalar(std::to_string(i)));
    doc.set("keys", keyed);
    doc.set("empty_list", Doc::make_sequence());
    doc.set("empty_map", Doc::make_map());
    doc.set("nothing", Doc::make_null());
    Doc nested = Doc::make_sequence();
    Doc inner = Doc::make_sequence();
    inner.items.push_back(Doc::make_scalar("x"));
    nested.items.push_back(inner);
    doc.set("nested", nested);

    const std::string text = ts::io::emit_yaml(doc);
    const Doc back = ts::io::parse_yaml(text, "emitted.yaml");
    INFO(text);
    CHECK(text.rfind("strings:\n  - NO\n  - \"~\"\n", 0) == 0);  // block style
    REQUIRE(back.entries.size() == 6);
    CHECK(scalars(at(back, "strings")) == tricky);
    const Doc& keys = at(back, "keys");
    REQUIRE(keys.entries.size() == tricky.size());
    for (std::size_t i = 0; i < tricky.size(); ++i) {
        CHECK(keys.entries[i].key == tricky[i]);
        CHECK(keys.entries[i].value.scalar == std::to_string(i));
    }
    CHECK(at(back, "empty_list").is_sequence());
    CHECK(at(back, "empty_list").items.empty());
    CHECK(at(back, "empty_map").is_map());
    CHECK(at(back, "nothing").is_null());
    CHECK(at(back, "nested").items.at(0).items.at(0).scalar == "x");
    // Deterministic: emitting the parsed text again gives the same bytes.
    CHECK(ts::io::emit_yaml(back) == text);
}

TEST_CASE("emit_yaml keeps the order of a resolved extends chain", "[doc][emit]") {
    Diagnostics diags;
    const auto doc = ts::io::load_doc(kData + "/variants/grandchild.yaml", diags);
    REQUIRE(doc.has_value());
    const std::string text = ts::io::emit_yaml(*doc);
    CHECK(text.find("extends") == std::string::npos);
    CHECK(text.rfind("name: grandchild\ntime:\n  start: 2022-01\n  step: month\n  ticks: 24\n",
                     0) == 0);
    const Doc back = ts::io::parse_yaml(text, "r.yaml");
    CHECK(ts::io::emit_yaml(back) == text);
}

TEST_CASE("is_valid_utf8 accepts well-formed UTF-8 only", "[doc]") {
    CHECK(ts::io::is_valid_utf8("plain ASCII"));
    CHECK(ts::io::is_valid_utf8("\xC3\xA9"));          // é
    CHECK(ts::io::is_valid_utf8("\xE2\x82\xAC"));      // €
    CHECK(ts::io::is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
    CHECK_FALSE(ts::io::is_valid_utf8("\xFF"));
    CHECK_FALSE(ts::io::is_valid_utf8("\xE2\x82"));          // truncated
    CHECK_FALSE(ts::io::is_valid_utf8("\xC0\x80"));          // overlong NUL
    CHECK_FALSE(ts::io::is_valid_utf8("\xED\xA0\x80"));      // surrogate
    CHECK_FALSE(ts::io::is_valid_utf8("\xF4\x90\x80\x80"));  // beyond U+10FFFF
    CHECK_FALSE(ts::io::is_valid_utf8("a\x80z"));            // stray continuation byte
}
