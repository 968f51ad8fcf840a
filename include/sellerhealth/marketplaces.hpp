// Marketplace presets: the ledger a marketplace's reports are computed on, and the name they print.
//
// Available presets, when to use each:
//   marketplaces::amazon_jp  Amazon.co.jp: PFCR, LSR 10 and 30 days (merchant-fulfilled orders)
//   marketplaces::qoo10_jp   Qoo10 Japan: the month's and quarter's cancel rates, the warning and
//                            the quarterly restriction
//   marketplaces::all        both at once, Amazon's metrics first
// A preset is any struct with a `ledger` type and a `name`; one of your own plugs into everything
// that takes a preset. A platform added later ships its preset beside its policies and adds it to
// `marketplaces::shipped`, the list the `sellerhealth` command's `--marketplace` offers.
//
//   using preset = sellerhealth::marketplaces::amazon_jp;
//   sellerhealth::sharded<preset::ledger> book(4);
//   auto report = sellerhealth::make_report(book, preset::name);
//   sellerhealth::with_marketplace(name, [&]<class P>() { run<P>(); });  // by name, as a command line gives it
#pragma once

#include <concepts>
#include <string>
#include <string_view>

#include "amazon.hpp"
#include "calendar.hpp"
#include "detail/type_list.hpp"
#include "ledger.hpp"
#include "qoo10.hpp"

namespace sellerhealth {

/// A marketplace preset: `P::ledger` is the ledger its metrics and penalties are computed on,
/// `P::name` the name reports print and command lines choose it by.
template <class P>
concept marketplace_preset = requires {
  typename P::ledger;
  { P::name } -> std::convertible_to<std::string_view>;
};

/// The ledger holding every rule of `Ledgers...` (one zone), in order: the first's rules, then the
/// next one's. The ledgers must not share a rule.
template <class... Ledgers>
struct combined_ledger;
template <class Ledger>
struct combined_ledger<Ledger> {
  using type = Ledger;
};
template <zone Z, class... A, class... B, class... Rest>
struct combined_ledger<ledger<Z, A...>, ledger<Z, B...>, Rest...> : combined_ledger<ledger<Z, A..., B...>, Rest...> {};
template <class... Ledgers>
using combined_ledger_t = typename combined_ledger<Ledgers...>::type;

namespace marketplaces {

/// Amazon.co.jp's account health for seller-fulfilled orders (amazon.hpp), in JST.
struct amazon_jp {
  using ledger = sellerhealth::ledger<jst, amazon::pre_fulfillment_cancel_rate, amazon::late_shipment_rate_10d,
                                      amazon::late_shipment_rate_30d>;
  static constexpr std::string_view name = "amazon-jp";
};

/// Qoo10 Japan's cancellation rates and penalties (qoo10.hpp), in JST.
struct qoo10_jp {
  using ledger = sellerhealth::ledger<jst, qoo10::cancel_rate_month, qoo10::cancel_rate_quarter, qoo10::monthly_warning,
                                      qoo10::quarterly_restriction>;
  static constexpr std::string_view name = "qoo10-jp";
};

/// Every shipped marketplace in one ledger: Amazon's metrics, then Qoo10's.
struct all {
  using ledger = combined_ledger_t<amazon_jp::ledger, qoo10_jp::ledger>;
  static constexpr std::string_view name = "all";
};

/// The presets offered by name, in the order a list of them is printed.
using shipped = detail::type_list<amazon_jp, qoo10_jp, all>;

}  // namespace marketplaces

namespace detail {
template <class F, class... Ps>
bool with_one_of(std::string_view name, F& f, type_list<Ps...>) {
  return ((name == Ps::name ? (f.template operator()<Ps>(), true) : false) || ...);
}
template <class... Ps>
std::string names_of(type_list<Ps...>) {
  const std::string_view names[] = {Ps::name...};
  std::string out;
  for (std::size_t i = 0; i < sizeof...(Ps); ++i) {
    if (i > 0) out += i + 1 == sizeof...(Ps) ? " or " : ", ";
    out += names[i];
  }
  return out;
}
}  // namespace detail

/// Calls `f.template operator()<P>()` for the preset `P` of `Presets` (a `detail::type_list`,
/// by default the shipped ones) whose name is `name`; false when none is.
///
///   if (!sellerhealth::with_marketplace(argv[1], [&]<class P>() { status = run<P>(); })) usage();
template <class Presets = marketplaces::shipped, class F>
bool with_marketplace(std::string_view name, F&& f) {
  return detail::with_one_of(name, f, Presets{});
}

/// The names of `Presets` for a message: "amazon-jp, qoo10-jp or all".
template <class Presets = marketplaces::shipped>
[[nodiscard]] std::string marketplace_names() {
  return detail::names_of(Presets{});
}

}  // namespace sellerhealth
