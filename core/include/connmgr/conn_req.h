// A connection request: what the caller asks the manager to connect to, and where it stands.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "connmgr/address_index.h"
#include "connmgr/cancellation.h"
#include "connmgr/types.h"

namespace connmgr {

template <class Platform, Design kDesign>
class BasicConnManager;

// Whether the manager made the request itself (to keep Config::target_outbound connections) or a
// caller passed it to connect().
enum class Origin : unsigned char { manual, automatic };

// Shared between the caller, the manager and callbacks (hold it by ConnReqPtr). The address,
// permanence and origin never change; the id and state are atomics the manager writes under its
// lock and anyone may read at any time. A request is registered at most once: connect() rejects a
// request that already has an id, so make a new one to connect again. A request belongs to one
// manager: passing it to two managers' connect() at the same time is undefined (each would index
// it in its own address index).
template <class Platform>
class ConnReq {
 public:
  // A manual request. A permanent one is retried with back-off after every failure and
  // disconnection, until remove()d, canceled or the manager stops.
  explicit ConnReq(std::string address, bool permanent = false)
      : ConnReq(std::move(address), permanent, Origin::manual) {}

  const std::string& address() const { return address_; }
  bool permanent() const { return permanent_; }
  Origin origin() const { return origin_; }
  // 0 until the manager registers the request; never changes afterwards.
  ReqId id() const { return id_.load(std::memory_order_acquire); }
  ConnState state() const { return state_.load(std::memory_order_acquire); }
  // "ADDRESS (reqid N)", or "reqid N" when the address is empty.
  std::string to_string() const {
    auto id_part = "reqid " + std::to_string(id());
    return address_.empty() ? id_part : address_ + " (" + id_part + ")";
  }

 private:
  template <class, Design>
  friend class BasicConnManager;
  friend class AddressIndex<ConnReq>;

  // Lets only the manager construct an automatic request, with std::make_shared (one allocation).
  class AutomaticKey {
    template <class, Design>
    friend class BasicConnManager;
    AutomaticKey() = default;
  };

 public:
  ConnReq(AutomaticKey, std::string address) : ConnReq(std::move(address), false, Origin::automatic) {}

 private:
  ConnReq(std::string address, bool permanent, Origin origin)
      : address_(std::move(address)),
        address_hash_(address_hash(address_)),
        permanent_(permanent),
        origin_(origin) {}

  const std::string address_;
  const std::size_t address_hash_;  // Hashed once, outside the manager's lock.
  const bool permanent_;
  const Origin origin_;
  typename Platform::template Atomic<ReqId> id_{0};
  typename Platform::template Atomic<ConnState> state_{ConnState::pending};
  // Membership in the manager's address index while pending; guarded by the manager's lock.
  AddressIndexHook<ConnReq> index_hook_;
  // The DialContext of this request's dials, one attempt at a time.
  DialCancellation<Platform> dial_;
};

template <class Platform>
using ConnReqPtr = std::shared_ptr<ConnReq<Platform>>;

}  // namespace connmgr
