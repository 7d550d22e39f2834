#include "options.h"

#include <charconv>
#include <cstdio>
#include <initializer_list>
#include <random>
#include <sstream>
#include <string_view>

#include "rng.h"

namespace connmgr::stress {
namespace {

constexpr const char* kUsage = R"(usage: connmgr_stress [options]
Real-thread stress of the production connection manager (both designs, on SteadyClock,
ThreadExecutor and loopback TCP). Prints its seed and a command line that reproduces the run's
operation streams (not its interleaving: threads are scheduled by the OS).

  --seed N             master seed (default: random)
  --threads N          worker threads (default 4)
  --ops N              total operations, over all workers and rounds (default 4000)
  --duration-ms N      run for N ms instead of a number of operations
  --rounds N           split the run into N rounds, each with a fresh manager, network and
                       backends, created, hammered, stopped, waited for and destroyed (default 4)
  --mix SPEC           operation weights, e.g. connect=37,remove=25 (unlisted: 0); default
                       %s
  --dialer KIND        fake | tcp | both (default fake)
  --design KIND        sync | event-loop | both (alternating rounds; default both)
  --watchdog-s N       no progress for N s is a hang: dump every worker and abort (default 30)
  --check-every N      each worker's operations between two barrier checks (default 50)
  --target-outbound N  automatic requests to keep; 0 disables get_new_address (default 4)
  --dial-timeout-ms N  the manager's dial deadline, at least 1 (default 20)
  --max-delay-us N     bound of the emulated network delay (fake dialer) and of the work
                       one callback in four emulates (default 2000)
  --help               this text
)";

template <class Int>
bool parse_number(std::string_view text, Int& out) {
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc{} && end == text.data() + text.size() && !text.empty();
}

// Sets `out` to the one of `values` whose name(value) is `text`; false if none is.
template <class Enum, class Name>
bool parse_name(const std::string& text, std::initializer_list<Enum> values, Name name, Enum& out) {
  for (Enum value : values) {
    if (text == name(value)) {
      out = value;
      return true;
    }
  }
  return false;
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
  if (name == "--rounds") return number(options.rounds);
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
  if (name == "--design") {
    return parse_name(value, {Designs::synchronous, Designs::event_loop, Designs::both},
                      designs_name, options.designs) ||
           fail(exit_code, "--design must be sync, event-loop or both");
  }
  if (name == "--dialer") {
    return parse_name(value, {DialerKind::fake, DialerKind::tcp, DialerKind::both}, dialer_name,
                      options.dialer) ||
           fail(exit_code, "--dialer must be fake, tcp or both");
  }
  return fail(exit_code, "unknown option " + std::string(name));
}

bool validate(const Options& options, bool has_ops, int& exit_code) {
  if (has_ops && options.duration_ms != 0)
    return fail(exit_code, "--ops and --duration-ms exclude each other");
  if (options.threads == 0) return fail(exit_code, "--threads must be at least 1");
  if (options.rounds == 0) return fail(exit_code, "--rounds must be at least 1");
  if (options.duration_ms == 0 && options.ops < options.rounds)
    return fail(exit_code, "--ops must be at least --rounds");
  if (options.duration_ms != 0 && options.duration_ms < options.rounds)
    return fail(exit_code, "--duration-ms must be at least --rounds");
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

const char* designs_name(Designs designs) {
  switch (designs) {
    case Designs::synchronous: return "sync";
    case Designs::event_loop: return "event-loop";
    case Designs::both: return "both";
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

Options round_options(const Options& options, unsigned round) {
  Options round_options = options;
  round_options.seed = Rng::derive(options.seed, Stream::rounds, round);
  const bool first = round == 0;
  round_options.ops = options.ops / options.rounds + (first ? options.ops % options.rounds : 0);
  round_options.duration_ms =
      options.duration_ms / options.rounds + (first ? options.duration_ms % options.rounds : 0);
  round_options.rounds = 1;
  if (options.designs == Designs::both)
    round_options.designs = round % 2 == 0 ? Designs::synchronous : Designs::event_loop;
  return round_options;
}

std::string reproduce_command(const std::string& program, const Options& o) {
  std::ostringstream command;
  command << program << " --seed " << o.seed << " --threads " << o.threads;
  if (o.duration_ms != 0) command << " --duration-ms " << o.duration_ms;
  else command << " --ops " << o.ops;
  command << " --rounds " << o.rounds << " --design " << designs_name(o.designs) << " --dialer "
          << dialer_name(o.dialer) << " --mix "
          << o.mix.to_string() << " --watchdog-s " << o.watchdog_s << " --check-every "
          << o.check_every << " --target-outbound " << o.target_outbound << " --dial-timeout-ms "
          << o.dial_timeout_ms << " --max-delay-us " << o.max_delay_us;
  return command.str();
}

}  // namespace connmgr::stress
