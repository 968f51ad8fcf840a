// Compile-time lists of types: the ledger keeps one set of day buckets per distinct measure.
#pragma once

#include <cstddef>
#include <type_traits>

namespace sellerhealth::detail {

template <class... Ts>
struct type_list {
  static constexpr std::size_t size = sizeof...(Ts);
};

template <class List, class T>
struct push_unique;
template <class... Ts, class T>
struct push_unique<type_list<Ts...>, T> {
  using type = std::conditional_t<(std::is_same_v<T, Ts> || ...), type_list<Ts...>, type_list<Ts..., T>>;
};

template <class List, class... Ts>
struct unique_impl {
  using type = List;
};
template <class List, class T, class... Rest>
struct unique_impl<List, T, Rest...> {
  using type = typename unique_impl<typename push_unique<List, T>::type, Rest...>::type;
};

/// The distinct types of `Ts...`, first occurrence first.
template <class... Ts>
using unique_types = typename unique_impl<type_list<>, Ts...>::type;

template <class T, class List>
struct index_of;
template <class T, class... Ts>
struct index_of<T, type_list<Ts...>> {
  static constexpr std::size_t value = [] {
    constexpr bool same[] = {std::is_same_v<T, Ts>..., false};
    std::size_t i = 0;
    while (i < sizeof...(Ts) && !same[i]) ++i;
    return i;
  }();
};

template <class T, class List>
inline constexpr std::size_t index_of_v = index_of<T, List>::value;

template <class T, class List>
struct prepend;
template <class T, class... Ts>
struct prepend<T, type_list<Ts...>> {
  using type = type_list<T, Ts...>;
};

/// The types of `Ts...` for which `Pred<T>::value` holds, in order.
template <template <class> class Pred, class... Ts>
struct filter {
  using type = type_list<>;
};
template <template <class> class Pred, class T, class... Ts>
struct filter<Pred, T, Ts...> {
  using rest = typename filter<Pred, Ts...>::type;
  using type = std::conditional_t<Pred<T>::value, typename prepend<T, rest>::type, rest>;
};
template <template <class> class Pred, class... Ts>
using filter_t = typename filter<Pred, Ts...>::type;

template <class T, class... Ts>
inline constexpr bool is_one_of_v = (std::is_same_v<T, Ts> || ...);

}  // namespace sellerhealth::detail
