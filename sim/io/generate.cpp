#include "io/generate.hpp"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <numeric>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/random.hpp"

namespace ts::io {

namespace {

using std::size_t;

// Stream agents: one independent random stream per part of the world.
enum Stream : std::uint64_t {
    kCountryStream = 1,
    kSupplierStream = 2,
    kOfferStream = 3,
    kBuyerStream = 4,
    kRouteStream = 5,
    kPolicyStream = 6,
};

constexpr double kReferenceCost = 25000.0;  // USD per compute unit (H100-equivalent)
constexpr double kTopTpp = 16000.0;
constexpr double kBottomTpp = 1000.0;

size_t sz(std::int64_t v) {
    return static_cast<size_t>(v);
}

std::string country_code(size_t i) {
    std::string code = "XAA";
    code[1] = static_cast<char>('A' + static_cast<int>(i / 26));
    code[2] = static_cast<char>('A' + static_cast<int>(i % 26));
    return code;
}

int digits(size_t n) {
    int d = 1;
    for (size_t v = n; v >= 10; v /= 10) ++d;
    return d;
}

double uniform(Rng& rng, double lo, double hi) {
    return lo + (hi - lo) * rng.uniform();
}

/// Uniform integer in [0, n).
size_t below(Rng& rng, size_t n) {
    return static_cast<size_t>(rng.next_u64() % static_cast<std::uint64_t>(n));
}

struct Country {
    std::string code;
    std::vector<std::string> groups;
    bool d5 = false;
    bool tier2 = false;
    bool hub = false;
};

struct Product {
    std::string id;
    double tpp = 0.0;
    double density = 0.0;
    double interconnect = 0.0;
    double compute = 0.0;
    double popularity = 0.0;
};

struct Supplier {
    std::string id;
    size_t jurisdiction = 0;
    size_t made_in = 0;
    double size = 0.0;  // share of world capacity
    double price_adjustment = 0.0;
};

struct Offer {
    size_t supplier = 0;
    size_t product = 0;
    double capacity = 0.0;
    double unit_cost = 0.0;
    double price = 0.0;
    double supply_elasticity = 0.0;
    double weight = 0.0;  // how likely a buyer is to use it
};

/// Shares as parts per million summing to exactly 1e6, each at least 1, from positive weights.
std::vector<std::int64_t> to_ppm(const std::vector<double>& weights) {
    const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
    const auto n = static_cast<std::int64_t>(weights.size());
    const std::int64_t budget = 1000000 - n;  // one ppm each is reserved
    std::vector<std::int64_t> ppm(weights.size(), 1);
    std::int64_t used = 0;
    size_t largest = 0;
    for (size_t i = 0; i < weights.size(); ++i) {
        const auto extra =
            static_cast<std::int64_t>(std::floor(static_cast<double>(budget) * weights[i] / total));
        ppm[i] += extra;
        used += extra;
        if (weights[i] > weights[largest]) largest = i;
    }
    ppm[largest] += budget - used;
    return ppm;
}

std::string format_share(std::int64_t ppm) {
    if (ppm >= 1000000) return "1";
    return fmt::format("0.{:06d}", ppm);
}

/// Samples up to k distinct indices with probability proportional to `weights` (cumulative
/// sums in `cdf`), in increasing index order.
std::vector<size_t> sample_distinct(Rng& rng, const std::vector<double>& weights,
                                    const std::vector<double>& cdf, size_t k) {
    const size_t n = weights.size();
    std::vector<size_t> chosen;
    if (k >= n) {
        chosen.resize(n);
        std::iota(chosen.begin(), chosen.end(), size_t{0});
        return chosen;
    }
    std::vector<char> taken(n, 0);
    const double total = cdf.back();
    while (chosen.size() < k) {
        size_t pick = n;
        // Rejection on the cumulative weights; heavy tails make repeats likely, so after a few
        // misses draw from what is left directly.
        for (int attempt = 0; attempt < 32 && pick == n; ++attempt) {
            const double x = rng.uniform() * total;
            auto it = std::upper_bound(cdf.begin(), cdf.end(), x);
            const auto i = static_cast<size_t>(std::distance(cdf.begin(), it));
            if (i < n && !taken[i]) pick = i;
        }
        if (pick == n) {
            double left = 0.0;
            for (size_t i = 0; i < n; ++i)
                if (!taken[i]) left += weights[i];
            double x = rng.uniform() * left;
            for (size_t i = 0; i < n; ++i) {
                if (taken[i]) continue;
                pick = i;
                x -= weights[i];
                if (x < 0.0) break;
            }
        }
        taken[pick] = 1;
        chosen.push_back(pick);
    }
    std::sort(chosen.begin(), chosen.end());
    return chosen;
}

std::string join_codes(const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) {
        if (i) out += ", ";
        out += v[i];
    }
    return out;
}

class Generator {
  public:
    explicit Generator(const GenerateSpec& spec) : spec_(spec) {}

    /// The world's size, once run() has written it.
    GeneratedSize size() const {
        return {
            countries_.size(),          products_.size(),      suppliers_.size(), offers_.size(),
            sz(spec_.buyers),           hubs_.size(),          policies_,         sz(spec_.ticks),
            weekly_ ? "week" : "month", spec_.offers_per_buyer};
    }

    std::string run() {
        make_time();
        make_countries();
        make_products();
        make_suppliers();
        make_buyers();
        make_routes();
        make_policies();
        return std::move(out_);
    }

  private:
    template <typename... Args>
    void line(fmt::format_string<Args...> f, Args&&... args) {
        out_ += fmt::format(f, std::forward<Args>(args)...);
        out_ += '\n';
    }

    /// A line that is one policy.
    template <typename... Args>
    void policy_line(fmt::format_string<Args...> f, Args&&... args) {
        line(f, std::forward<Args>(args)...);
        ++policies_;
    }

    Rng stream(Stream s) const { return Rng(spec_.seed, 0, s, Purpose::parameter_draw); }

    std::string date(std::int64_t tick) const { return format_date(calendar_.date_of(tick)); }

    void make_time() {
        weekly_ = spec_.ticks > 240;
        const Date start{2024, 1, 1};
        calendar_ = Calendar(start, weekly_ ? TimeStep::week : TimeStep::month,
                             static_cast<int>(spec_.ticks));
        ticks_per_year_ = calendar_.ticks_per_year();

        line(
            "# Synthetic scenario written by 'tradesim generate': a made-up world of the given "
            "size for");
        line(
            "# benchmarks and fuzzing seeds. Countries XAA..XZZ are user-assigned codes, not "
            "real countries;");
        line(
            "# every number is drawn from seeded distributions and means nothing about the real "
            "chip trade.");
        if (!spec_.command.empty()) line("# Command: {}", spec_.command);
        line("name: synthetic-c{}-s{}-b{}-p{}-h{}-t{}-seed{}", spec_.countries, spec_.suppliers,
             spec_.buyers, spec_.products, spec_.hubs, spec_.ticks, spec_.seed);
        line(
            "description: \"Synthetic world: {} countries, {} suppliers, {} products, {} buyers, "
            "{} hubs, {} ticks (seed {})\"",
            spec_.countries, spec_.suppliers, spec_.products, spec_.buyers, spec_.hubs, spec_.ticks,
            spec_.seed);
        line("time: {{start: {}, step: {}, ticks: {}}}", format_date(start),
             weekly_ ? "week" : "month", spec_.ticks);
        line("seed: {}", spec_.seed);
    }

    void make_countries() {
        const size_t n = sz(spec_.countries);
        // A handful of producer countries: XAA (the main jurisdiction) and the next few.
        producers_ = std::clamp<size_t>(1 + n / 10, 2, 6);
        producers_ = std::min(producers_, n);
        // Group D5 (the controlled destinations): the last ~15 % of the countries, at least one.
        const size_t others = n - 1;
        const size_t d5 = std::max<size_t>(1, others * 15 / 100);
        const size_t tier2 = others * 30 / 100;
        countries_.resize(n);
        for (size_t i = 0; i < n; ++i) {
            Country& c = countries_[i];
            c.code = country_code(i);
            if (i == 0) continue;
            c.d5 = i >= n - d5;
            c.tier2 = !c.d5 && i >= n - d5 - tier2;
        }
        // Hubs: the countries after the producers (wrapping), never XAA.
        for (size_t h = 0; h < sz(spec_.hubs); ++h) {
            const size_t i = 1 + (producers_ - 1 + h) % others;
            countries_[i].hub = true;
            hubs_.push_back(i);
        }
        for (size_t i = 0; i < n; ++i) {
            Country& c = countries_[i];
            if (c.hub) c.tier2 = !c.d5;
            if (c.d5) {
                c.groups = {"D5", "tier3"};
                d5_.push_back(i);
            } else if (c.tier2) {
                c.groups = {"tier2"};
                has_tier2_ = true;
            } else {
                c.groups = {"tier1"};
            }
            if (c.hub) c.groups.push_back("hub");
            if (i < producers_) c.groups.push_back("producer");
        }
        rival_ = d5_.front();
        line("");
        line("countries:");
        for (size_t i = 0; i < n; ++i)
            line("  - {{code: {}, name: Synthetic {}, groups: [{}]}}", countries_[i].code,
                 countries_[i].code, join_codes(countries_[i].groups));
    }

    void make_products() {
        const size_t n = sz(spec_.products);
        const int width = digits(n);
        // TPP falls geometrically from the flagship (16000) to the entry chip (1000); compute is
        // in flagship-equivalents.
        const double ratio =
            n > 1 ? std::pow(kBottomTpp / kTopTpp, 1.0 / static_cast<double>(n - 1)) : 1.0;
        products_.resize(n);
        for (size_t j = 0; j < n; ++j) {
            Product& p = products_[j];
            p.id = fmt::format("chip{:0{}d}", j + 1, width);
            p.tpp = std::round(kTopTpp * std::pow(ratio, static_cast<double>(j)));
            p.density = std::round(p.tpp / 800.0 * 100.0) / 100.0;
            p.interconnect = 2 * j < n ? 900.0 : 400.0;
            p.compute = std::round(p.tpp / kTopTpp * 1000.0) / 1000.0;
            // Mid-range chips sell most units; the flagship a good share.
            p.popularity = 1.0 / (1.0 + 0.5 * static_cast<double>(j));
        }
        // High end: the upper half of the range (at least the flagship).
        high_end_ = std::max<size_t>(1, n / 2);
        high_tpp_min_ =
            high_end_ < n
                ? std::floor((products_[high_end_ - 1].tpp + products_[high_end_].tpp) / 2)
                : std::floor(products_.back().tpp * 0.9);
        top_tpp_min_ = n > 1 ? std::floor((products_[0].tpp + products_[1].tpp) / 2)
                             : std::floor(products_[0].tpp * 0.9);
        line("");
        line(
            "products:   # tpp: total processing performance; compute: flagship-equivalents per "
            "unit");
        for (const Product& p : products_)
            line(
                "  - {{id: {}, tpp: {:.0f}, density: {:.2f}, interconnect: {:.0f}, compute: "
                "{:.3f}}}",
                p.id, p.tpp, p.density, p.interconnect, p.compute);
    }

    void make_suppliers() {
        Rng rng = stream(kSupplierStream);
        const size_t n = sz(spec_.suppliers);
        // Pareto(alpha 1.16: the 80/20 rule) sizes, largest first.
        std::vector<double> sizes(n);
        for (double& s : sizes) s = std::pow(1.0 - rng.uniform(), -1.0 / 1.16);
        std::sort(sizes.begin(), sizes.end(), std::greater<>());
        const double total_size = std::accumulate(sizes.begin(), sizes.end(), 0.0);
        const int width = digits(n);
        suppliers_.resize(n);
        for (size_t i = 0; i < n; ++i) {
            Supplier& s = suppliers_[i];
            s.id = fmt::format("s{:0{}d}", i + 1, width);
            s.size = sizes[i] / total_size;
            // The largest supplier and about half of the others are of the main jurisdiction.
            s.jurisdiction = (i == 0 || producers_ < 2 || rng.bernoulli(0.5))
                                 ? 0
                                 : 1 + below(rng, producers_ - 1);
            // Main-jurisdiction chips are mostly made abroad (a foundry country, XAB).
            if (s.jurisdiction == 0 && producers_ >= 2)
                s.made_in = rng.bernoulli(0.7) ? 1 : 0;
            else
                s.made_in = s.jurisdiction;
            s.price_adjustment = std::round(uniform(rng, 0.01, 0.05) * 1000.0) / 1000.0;
        }
        // Demand is drawn below; capacity is sized against the expected total demand so that
        // markets are neither empty nor hopelessly short.
        expected_demand_ = static_cast<double>(spec_.buyers) * kMedianDemand *
                           std::exp(0.5 * kDemandSigma * kDemandSigma);
        Rng orng = stream(kOfferStream);
        const double popularity_total =
            std::accumulate(products_.begin(), products_.end(), 0.0,
                            [](double a, const Product& p) { return a + p.popularity; });
        for (size_t i = 0; i < n; ++i) {
            for (size_t j = 0; j < products_.size(); ++j) {
                Offer o;
                o.supplier = i;
                o.product = j;
                const Product& p = products_[j];
                const double mix = p.popularity / popularity_total;
                const double compute_capacity =
                    1.1 * expected_demand_ * suppliers_[i].size * mix * uniform(orng, 0.7, 1.3);
                o.capacity = std::max(1.0, std::round(compute_capacity / p.compute));
                o.price = std::round(kReferenceCost * p.compute * uniform(orng, 0.85, 1.15));
                o.unit_cost = std::round(o.price * uniform(orng, 0.2, 0.45));
                o.supply_elasticity = std::round(uniform(orng, 0.0, 0.5) * 100.0) / 100.0;
                o.weight = suppliers_[i].size * mix;
                offers_.push_back(o);
            }
        }
        line("");
        line("suppliers:");
        for (size_t i = 0; i < n; ++i) {
            const Supplier& s = suppliers_[i];
            line("  - id: {}", s.id);
            line("    jurisdiction: {}", countries_[s.jurisdiction].code);
            line("    made_in: {}", countries_[s.made_in].code);
            line("    price_adjustment: {:.3f}", s.price_adjustment);
            line("    offers:");
            for (size_t j = 0; j < products_.size(); ++j) {
                const Offer& o = offers_[i * products_.size() + j];
                line(
                    "      - {{product: {}, capacity: {:.0f}, unit_cost: {:.0f}, price: {:.0f}, "
                    "supply_elasticity: {:.2f}}}",
                    products_[j].id, o.capacity, o.unit_cost, o.price, o.supply_elasticity);
            }
        }
    }

    void make_buyers() {
        Rng rng = stream(kBuyerStream);
        const size_t n = sz(spec_.buyers);
        const size_t nc = countries_.size();
        // Country weights: Zipf over a seeded ranking of the countries.
        std::vector<size_t> rank(nc);
        std::iota(rank.begin(), rank.end(), size_t{0});
        for (size_t i = nc; i > 1; --i) std::swap(rank[i - 1], rank[below(rng, i)]);
        std::vector<double> country_cdf(nc);
        double acc = 0.0;
        for (size_t i = 0; i < nc; ++i) {
            acc += 1.0 / std::pow(1.0 + static_cast<double>(rank[i]), 0.9);
            country_cdf[i] = acc;
        }
        std::vector<double> offer_weight(offers_.size()), offer_cdf(offers_.size());
        acc = 0.0;
        for (size_t o = 0; o < offers_.size(); ++o) {
            offer_weight[o] = offers_[o].weight;
            acc += offer_weight[o];
            offer_cdf[o] = acc;
        }
        const double growth_per_year = 0.12;
        const double growth = std::pow(1.0 + growth_per_year, 1.0 / ticks_per_year_) - 1.0;
        const int width = digits(n);
        line("");
        line("{}",
             spec_.offers_per_buyer == kAllOffers
                 ? "buyers:   # demand: compute units per tick at reference_cost; no shares: each "
                   "buyer considers every offer"
                 : "buyers:   # demand: compute units per tick at reference_cost; shares: "
                   "base-period spending by offer");
        for (size_t b = 0; b < n; ++b) {
            // Every country has a buyer when there are enough; the rest follow the weights.
            size_t c = b;
            if (b >= nc) {
                const double x = rng.uniform() * country_cdf.back();
                c = static_cast<size_t>(
                    std::distance(country_cdf.begin(),
                                  std::upper_bound(country_cdf.begin(), country_cdf.end(), x)));
                c = std::min(c, nc - 1);
            }
            const Country& country = countries_[c];
            const double demand = std::max(
                1.0, std::round(kMedianDemand * std::exp(kDemandSigma * rng.normal()) * 10) / 10);
            total_demand_ += demand;
            if (country.tier2) tier2_demand_ += demand;
            const double elasticity = std::round(uniform(rng, 0.3, 1.0) * 100.0) / 100.0;
            const double sigma = std::round(uniform(rng, 2.0, 4.0) * 10.0) / 10.0;
            double risk = 0.0;
            if (country.d5)
                risk = uniform(rng, 0.2, 0.8);
            else if (country.tier2)
                risk = uniform(rng, 0.0, 0.3);
            risk = std::round(risk * 100.0) / 100.0;
            const double anticipation =
                std::round((country.d5 ? uniform(rng, 1.0, 1.6) : 1.0) * 100.0) / 100.0;
            const bool listed = country.d5 && rng.bernoulli(0.1);
            const std::string shares = spec_.offers_per_buyer == kAllOffers
                                           ? std::string{}
                                           : shares_of(rng, offer_weight, offer_cdf);
            line(
                "  - {{id: b{:0{}d}, country: {}, demand: {:.1f}, growth: {:.5f}, reference_cost: "
                "{:.0f}, price_elasticity: {:.2f}, substitution: {:.1f}, risk_tolerance: {:.2f}, "
                "anticipation: {:.2f}, backlog: 0.3{}{}}}",
                b + 1, width, country.code, demand, growth, kReferenceCost, elasticity, sigma, risk,
                anticipation, listed ? ", listed: true" : "", shares);
        }
    }

    /// ", shares: {...}" of one buyer: base-period spending over its offers (8 to 12 drawn by
    /// size, or GenerateSpec::offers_per_buyer of them).
    std::string shares_of(Rng& rng, const std::vector<double>& offer_weight,
                          const std::vector<double>& offer_cdf) {
        const size_t k =
            spec_.offers_per_buyer > 0
                ? std::min(offers_.size(), sz(spec_.offers_per_buyer))
                : std::min(offers_.size(), size_t{8} + below(rng, kMaxOffersPerBuyer - 8 + 1));
        const std::vector<size_t> chosen = sample_distinct(rng, offer_weight, offer_cdf, k);
        std::vector<double> w(chosen.size());
        for (size_t i = 0; i < chosen.size(); ++i)
            w[i] = std::sqrt(offer_weight[chosen[i]]) * uniform(rng, 0.5, 1.5);
        const std::vector<std::int64_t> ppm = to_ppm(w);
        std::string shares = ", shares: {";
        for (size_t i = 0; i < chosen.size(); ++i) {
            const Offer& o = offers_[chosen[i]];
            if (i) shares += ", ";
            shares += suppliers_[o.supplier].id;
            shares += '/';
            shares += products_[o.product].id;
            shares += ": ";
            shares += format_share(ppm[i]);
        }
        return shares + "}";
    }

    void make_routes() {
        if (hubs_.empty()) {
            line("");
            line("transport: {{delay: 1}}");
            return;
        }
        Rng rng = stream(kRouteStream);
        line("");
        line("routes:   # hubs that goods can be rerouted through; capacity in units per tick");
        for (size_t h : hubs_) {
            const double capacity =
                std::max(1.0, std::round(total_demand_ * uniform(rng, 0.01, 0.05)));
            line("  - {{via: {}, markup: {:.3f}, delay: {}, capacity: {:.0f}, detection: {:.3f}}}",
                 countries_[h].code, uniform(rng, 0.03, 0.12), 1 + below(rng, 2), capacity,
                 uniform(rng, 0.02, 0.15));
        }
        line("transport: {{delay: 1}}");
    }

    /// Tick at a fraction of the horizon.
    std::int64_t at(double fraction) const {
        return std::clamp<std::int64_t>(
            static_cast<std::int64_t>(std::llround(fraction * static_cast<double>(spec_.ticks))), 0,
            spec_.ticks - 1);
    }

    /// "announced: D, from: D, until: D" with the parts that fit in the run and are ordered.
    std::string dates(double announced, double from, double until) const {
        const std::int64_t f = at(from);
        std::string out;
        if (announced >= 0.0) {
            const std::int64_t a = at(announced);
            if (a < f) out += fmt::format("announced: {}, ", date(a));
        }
        out += fmt::format("from: {}", date(f));
        if (until >= 0.0) {
            const std::int64_t u = at(until);
            if (u > f) out += fmt::format(", until: {}", date(u));
        }
        return out;
    }

    void make_policies() {
        Rng rng = stream(kPolicyStream);
        const std::string main = countries_[0].code;
        const std::string rival = countries_[rival_].code;
        const std::string high = fmt::format("{{tpp_min: {:.0f}}}", high_tpp_min_);
        const std::string top = fmt::format("{{tpp_min: {:.0f}}}", top_tpp_min_);
        const std::string below_high = high_end_ < products_.size()
                                           ? fmt::format("{{tpp_max: {:.0f}}}", high_tpp_min_)
                                           : std::string("{all: true}");
        const double approval = std::round(uniform(rng, 0.05, 0.15) * 100.0) / 100.0;
        line("");
        line("policies:");
        line(
            "  # the main producer jurisdiction licenses high-end chips to group D5, rarely "
            "granted");
        policy_line(
            "  - {{id: high-end-control, by: {}, type: export_control, {}, products: {}, "
            "destinations: {{groups: [D5]}}, license: {{approval: {:.2f}, delay: 2}}, covers: "
            "[exports, reexports]}}",
            main, dates(0.15, 0.2, -1.0), high, approval);
        line("  # ... and prohibits the top chip there for a while (lapses before the end)");
        policy_line(
            "  - {{id: top-chip-ban, by: {}, type: export_control, {}, products: {}, "
            "destinations: {{groups: [D5]}}, covers: [exports, reexports]}}",
            main, dates(0.45, 0.5, 0.85), top);
        if (has_tier2_) {
            // Cap: about half of tier-2 demand per quarter, in compute units.
            const double per_quarter = ticks_per_year_ / 4.0;
            const double cap = std::max(
                1.0, std::round(0.5 * tier2_demand_ * per_quarter * static_cast<double>(high_end_) /
                                static_cast<double>(products_.size())));
            line("  # a quota on high-end chips for the second tier, per destination and quarter");
            policy_line(
                "  - {{id: tier2-quota, by: {}, type: quota, {}, products: {}, destinations: "
                "{{groups: [tier2]}}, cap: {:.0f}, period: quarter}}",
                main, dates(-1.0, 0.35, -1.0), high, cap);
        }
        line(
            "  # tariffs: the rival on everything made elsewhere, the main jurisdiction on a "
            "second producer");
        policy_line(
            "  - {{id: rival-tariff, by: {}, type: tariff, {}, rate: 0.25, origins: {{all: true, "
            "except: [{}]}}, products: {{all: true}}}}",
            rival, dates(0.25, 0.3, -1.0), rival);
        if (producers_ >= 2) {
            policy_line(
                "  - {{id: main-tariff, by: {}, type: tariff, {}, rate: 0.10, origins: "
                "{{countries: [{}]}}, products: {{all: true}}}}",
                main, dates(-1.0, 0.6, 0.9), countries_[producers_ - 1].code);
        }
        line("  # a fee on the chips still allowed to D5, paid by the supplier");
        policy_line(
            "  - {{id: d5-export-fee, by: {}, type: export_fee, {}, rate: 0.15, products: {}, "
            "destinations: {{groups: [D5]}}}}",
            main, dates(-1.0, 0.55, -1.0), below_high);
        if (!hubs_.empty()) {
            policy_line(
                "  - {{id: hub-enforcement, by: {}, type: enforcement, {}, detection: 0.25}}",
                countries_[hubs_.front()].code, dates(-1.0, 0.4, -1.0));
        }
        line("  # the rival asks its buyers to avoid the entry chip");
        policy_line(
            "  - {{id: rival-avoids-entry-chip, by: {}, type: import_restriction, {}, products: "
            "{{ids: [{}]}}, compliance: 0.5}}",
            rival, dates(-1.0, 0.7, -1.0), products_.back().id);
    }

    static constexpr double kMedianDemand = 50.0;
    static constexpr double kDemandSigma = 1.2;

    const GenerateSpec& spec_;
    std::string out_;
    size_t policies_ = 0;
    Calendar calendar_;
    bool weekly_ = false;
    double ticks_per_year_ = 12.0;
    std::vector<Country> countries_;
    std::vector<size_t> hubs_, d5_;
    size_t producers_ = 1;
    size_t rival_ = 0;
    bool has_tier2_ = false;
    std::vector<Product> products_;
    size_t high_end_ = 1;
    double high_tpp_min_ = 0.0, top_tpp_min_ = 0.0;
    std::vector<Supplier> suppliers_;
    std::vector<Offer> offers_;
    double expected_demand_ = 0.0, total_demand_ = 0.0, tier2_demand_ = 0.0;
};

}  // namespace

void check_generate_spec(const GenerateSpec& spec) {
    std::vector<Diagnostic> problems;
    const auto problem = [&](std::string message) {
        problems.push_back(Diagnostic{Severity::error, {}, "", std::move(message)});
    };
    const auto range = [&](const char* option, std::int64_t value, std::int64_t lo, std::int64_t hi,
                           const char* why) {
        if (value < lo || value > hi)
            problem(fmt::format("--{} {} is out of range: expected {} to {}{}", option, value, lo,
                                hi, why));
    };
    range("countries", spec.countries, 2, kMaxGeneratedCountries,
          " (codes XAA..XZZ; a producer and at least one other country)");
    range("suppliers", spec.suppliers, 1, kMaxGeneratedSuppliers, "");
    range("products", spec.products, 1, kMaxGeneratedProducts, "");
    range("buyers", spec.buyers, 1, kMaxGeneratedBuyers, "");
    range("ticks", spec.ticks, 1, kMaxGeneratedTicks, "");
    if (spec.offers_per_buyer != kAllOffers)
        range("offers-per-buyer", spec.offers_per_buyer, 0,
              kMaxGeneratedSuppliers * kMaxGeneratedProducts,
              " (or 'all'; 0: 8 to 12, the default)");
    if (spec.hubs < 0)
        problem(fmt::format("--hubs {} is out of range: expected 0 or more", spec.hubs));
    else if (spec.countries >= 2 && spec.hubs >= spec.countries)
        problem(
            fmt::format("--hubs {} must be less than --countries {} (a hub is a country other "
                        "than the main producer)",
                        spec.hubs, spec.countries));
    if (problems.empty()) return;
    for (auto& d : problems) d.message = "tradesim generate: " + d.message;
    throw InputError(std::move(problems));
}

std::string generate_scenario(const GenerateSpec& spec, GeneratedSize* size) {
    check_generate_spec(spec);
    Generator g(spec);
    std::string text = g.run();
    if (size) *size = g.size();
    return text;
}

std::string describe(const GeneratedSize& s) {
    return fmt::format(
               "{} countries, {} products, {} suppliers with {} offers, {} buyers, {} hubs, {} "
               "policies, {} ticks of one {}",
               s.countries, s.products, s.suppliers, s.offers, s.buyers, s.hubs, s.policies,
               s.ticks, s.step) +
           (s.offers_per_buyer == kAllOffers ? std::string("; each buyer considers every offer")
            : s.offers_per_buyer > 0
                ? fmt::format("; {} offers per buyer",
                              std::min<std::int64_t>(s.offers_per_buyer,
                                                     static_cast<std::int64_t>(s.offers)))
                : std::string{});
}

}  // namespace ts::io
