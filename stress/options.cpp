#include "options.h"

#include <charconv>
#include <cstdio>
#include <random>
#include <string_view>

namespace connmgr::stress {
namespace {

constexpr const char* kUsage = R"(usage: connmgr_stress [options]
Real-thread stress of the production connection manager (StdConnManager, SteadyClock,
ThreadExecutor). Prints its seed and a command line that reproduces the run's operation streams
(not its interleaving: threads are scheduled by the OS).

  --seed N             master seed (default: random)
  --threads N          worker threads (default 4)
  --ops N              total operations over all workers (default 4000)
  --duration-ms N      run for N ms instead of a number of operations
  --mix SPEC           operation weights, e.g. connect=37,remove=25 (unlisted: 0); default
                       %s
  --dialer KIND        fake | tcp | both (default fake)
  --watchdog-s N       no progress for N s is a hang: dump every worker and abort (default 30)
  --check-every N      each worker's operations between two barrier checks (default 50)
  --target-outbound N  automatic requests to keep; 0 disables get_new_address (default 4)
  --dial-timeout-ms N  the manager's dial deadline, at least 1 (default 20)
  --max-delay-us N     bound of the fake dialer's emulated network delay (default 2000)
  --help               this text
)";

template <class Int>
bool parse_number(std::string_view text, Int& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && !text.empty();
}

bool fail(int& exit_code, const std::string& message) {
  std::fprintf(stderr, "connmgr_stress: %s (see --help)\n", message.c_str());
  exit_code = 2;
  return false;
}

// Applies one "--name value" pair; false (with exit_code set) on an error.
bool apply(Options& options, std::string_view name, const std::string& value, bool& has_ops,
           int& exit_code) {
  auto number = [&](auto& field) {
    return parse_number(value, field) || fail(exit_code, "bad number for " + std::string(name));
  };
  if (name == "--seed") return number(options.seed);
  if (name == "--threads") return number(options.threads);
  if (name == "--ops") {
    has_ops = true;
    return number(options.ops);
  }
  if (name == "--duration-ms") return number(options.duration_ms);
  if (name == "--watchdog-s") return number(options.watchdog_s);
  if (name == "--check-every") return number(options.check_every);
  if (name == "--target-outbound") return number(options.target_outbound);
  if (name == "--dial-timeout-ms") return number(options.dial_timeout_ms);
  if (name == "--max-delay-us") return number(options.max_delay_us);
  if (name == "--mix") {
    std::string error;
    auto mix = Mix::parse(value, error);
    if (!mix) return fail(exit_code, error);
    options.mix = *mix;
    return true;
  }
  if (name == "--dialer") {
    for (auto kind : {DialerKind::fake, DialerKind::tcp, DialerKind::both}) {
      if (value == dialer_name(kind)) {
        options.dialer = kind;
        return true;
      }
    }
    return fail(exit_code, "--dialer must be fake, tcp or both");
  }
  return fail(exit_code, "unknown option " + std::string(name));
}

bool validate(const Options& options, bool has_ops, int& exit_code) {
  if (has_ops && options.duration_ms != 0)
    return fail(exit_code, "--ops and --duration-ms exclude each other");
  if (options.threads == 0) return fail(exit_code, "--threads must be at least 1");
  if (options.duration_ms == 0 && options.ops == 0) return fail(exit_code, "--ops must be at least 1");
  if (options.watchdog_s == 0) return fail(exit_code, "--watchdog-s must be at least 1");
  if (options.check_every == 0) return fail(exit_code, "--check-every must be at least 1");
  if (options.dial_timeout_ms == 0) return fail(exit_code, "--dial-timeout-ms must be at least 1");
  return true;
}

}  // namespace

const char* dialer_name(DialerKind kind) {
  switch (kind) {
    case DialerKind::fake: return "fake";
    case DialerKind::tcp: return "tcp";
    case DialerKind::both: return "both";
  }
  return "?";
}

std::optional<Options> parse_options(int argc, char** argv, int& exit_code) {
  Options options;
  options.seed = (std::uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  bool has_ops = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--help") {
      std::printf(kUsage, Mix::defaults().to_string().c_str());
      exit_code = 0;
      return std::nullopt;
    }
    std::string value;
    if (const auto equals = arg.find('='); equals != std::string_view::npos) {
      value = arg.substr(equals + 1);
      arg = arg.substr(0, equals);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      fail(exit_code, "missing value for " + std::string(arg));
      return std::nullopt;
    }
    if (!apply(options, arg, value, has_ops, exit_code)) return std::nullopt;
  }
  if (!validate(options, has_ops, exit_code)) return std::nullopt;
  return options;
}

std::string reproduce_command(const std::string& program, const Options& o) {
  std::string budget = o.duration_ms != 0 ? " --duration-ms " + std::to_string(o.duration_ms)
                                          : " --ops " + std::to_string(o.ops);
  return program + " --seed " + std::to_string(o.seed) + " --threads " +
         std::to_string(o.threads) + budget + " --dialer " + dialer_name(o.dialer) + " --mix " +
         o.mix.to_string() + " --watchdog-s " + std::to_string(o.watchdog_s) +
         " --check-every " + std::to_string(o.check_every) + " --target-outbound " +
         std::to_string(o.target_outbound) + " --dial-timeout-ms " +
         std::to_string(o.dial_timeout_ms) + " --max-delay-us " + std::to_string(o.max_delay_us);
}

}  // namespace connmgr::stress
