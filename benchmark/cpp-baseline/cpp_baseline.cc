// gil-lab's C++ baseline: a no-op, countPrimes and sha256 through node-addon-api, written
// the way a node-addon-api author would write them (sync calls, and AsyncWorker + a promise
// for the async forms). It measures what the binding layer costs next to gil-lab's napi-rs
// binding; it is a benchmark, not a backend, and lib/ never loads it.
//
// The kernels compute what gil-lab's do (crates/core/src/kernels/), with the same argument
// checks in kind (a TypeError for a wrong type, a RangeError out of range), but without
// ticks: nothing here can be cancelled, which makes this the floor.

#include <napi.h>
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

#include <immintrin.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

// ── Kernels ───────────────────────────────────────────────────────────────────────────

constexpr double kCountPrimesLimitMax = 2147483647.0;  // as gil-lab: every candidate fits an int32

// gil-lab's count_primes (crates/core/src/kernels/count_primes.rs) without the ticks: each
// odd candidate n is tested against the odd d with d² ≤ n, and "d divides n" without a
// division, by d's inverse modulo 2³²: n · d⁻¹ ≤ ⌊(2³² − 1) / d⌋ exactly when d | n. Eight
// divisors a block, up to the first block that holds one that divides n. As in gil-lab, one
// body is compiled twice, plain and for AVX2, and the CPU picks at run time.
constexpr size_t kLanes = 8;
// GCC's vector type: each block as SIMD, whatever the auto-vectorizer would make of a loop.
typedef uint32_t Block __attribute__((vector_size(kLanes * sizeof(uint32_t))));

// Whether any lane of a block of compare results is set: the plain form folds halves onto
// each other; the AVX2 form is one vptest, which GCC does not find by itself.
struct AnyLane {
  bool operator()(Block hits) const {
    hits |= __builtin_shuffle(hits, Block{4, 5, 6, 7, 0, 1, 2, 3});
    hits |= __builtin_shuffle(hits, Block{2, 3, 0, 1, 2, 3, 0, 1});
    hits |= __builtin_shuffle(hits, Block{1, 0, 1, 0, 1, 0, 1, 0});
    return hits[0] != 0;
  }
};

struct AnyLaneAvx2 {
  __attribute__((target("avx2"))) bool operator()(Block hits) const {
    __m256i lanes = reinterpret_cast<__m256i>(hits);
    return !_mm256_testz_si256(lanes, lanes);
  }
};

// The odd divisors 3, 5, 7, … as the tests need them: entry k is for d = 2k + 3.
struct Divisors {
  std::vector<uint32_t> inverse;
  std::vector<uint32_t> bound;  // ⌊(2³² − 1) / d⌋

  void Push() {
    uint32_t d = static_cast<uint32_t>(2 * inverse.size() + 3);
    uint32_t x = d;  // Newton's iteration doubles the correct low bits; d · d ≡ 1 mod 8
    for (int i = 0; i < 4; i++) x *= 2 - d * x;
    inverse.push_back(x);
    bound.push_back(UINT32_MAX / d);
  }

  // Whether one of the first `count` divisors divides n.
  template <typename Any>
  bool Divide(uint32_t n, size_t count, Any any) const {
    size_t k = 0;
    for (; k + kLanes <= count; k += kLanes) {
      Block inverses, bounds;
      std::memcpy(&inverses, &inverse[k], sizeof inverses);
      std::memcpy(&bounds, &bound[k], sizeof bounds);
      if (any(n * inverses <= bounds)) return true;  // a lane is all ones where d divides n
    }
    for (; k < count; k++) {
      if (n * inverse[k] <= bound[k]) return true;
    }
    return false;
  }
};

template <typename Any>
uint32_t CountPrimesWith(uint32_t limit, Any any) {
  if (limit <= 2) return 0;
  uint32_t count = 1;  // 2
  Divisors divisors;
  size_t used = 0;  // the divisors in use: the odd d with d² ≤ n; the next is d = 2·used + 3
  for (uint32_t n = 3; n < limit; n += 2) {
    while ((2 * used + 3) * (2 * used + 3) <= n) {
      if (used == divisors.inverse.size()) divisors.Push();
      used++;
    }
    count += !divisors.Divide(n, used, any);
  }
  return count;
}

// `flatten` inlines the whole body here, so that all of it is compiled for AVX2.
__attribute__((target("avx2"), flatten)) uint32_t CountPrimesAvx2(uint32_t limit) {
  return CountPrimesWith(limit, AnyLaneAvx2());
}

uint32_t CountPrimes(uint32_t limit) {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2 ? CountPrimesAvx2(limit) : CountPrimesWith(limit, AnyLane());
}

// SHA-256 by the OpenSSL that Node itself carries: its headers ship with Node's
// (`include/node/openssl`), and the node executable exports its symbols, so the addon needs
// no library of its own. gil-lab hashes with RustCrypto's sha2, which uses the CPU's SHA
// extensions where it has them; so does OpenSSL, so the throughput rows compare bindings
// over hashing of one class. The SHA256_* calls (deprecated in OpenSSL 3 in favour of EVP)
// are its cheapest entry: EVP's one-shot digest looks the algorithm up by name each call.
constexpr size_t kDigestBytes = SHA256_DIGEST_LENGTH;

void Sha256(const uint8_t* data, size_t length, uint8_t out[kDigestBytes]) {
  SHA256_CTX context;
  SHA256_Init(&context);
  SHA256_Update(&context, data, length);
  SHA256_Final(out, &context);
}

// ── Arguments ─────────────────────────────────────────────────────────────────────────
// Each returns false with a JS exception pending when the argument is wrong.

bool LimitArgument(const Napi::CallbackInfo& info, uint32_t* limit) {
  Napi::Env env = info.Env();
  Napi::Value value = info[0];
  if (!value.IsNumber()) {
    Napi::TypeError::New(env, "limit must be a number").ThrowAsJavaScriptException();
    return false;
  }
  double n = value.As<Napi::Number>().DoubleValue();
  if (!(n >= 0 && n <= kCountPrimesLimitMax) || std::trunc(n) != n) {
    Napi::RangeError::New(env, "limit must be an integer from 0 to 2147483647").ThrowAsJavaScriptException();
    return false;
  }
  *limit = static_cast<uint32_t>(n);
  return true;
}

bool DataArgument(const Napi::CallbackInfo& info, Napi::Uint8Array* data) {
  Napi::Value value = info[0];
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    Napi::TypeError::New(info.Env(), "data must be a Uint8Array").ThrowAsJavaScriptException();
    return false;
  }
  *data = value.As<Napi::Uint8Array>();
  return true;
}

Napi::Uint8Array DigestArray(Napi::Env env, const uint8_t digest[kDigestBytes]) {
  Napi::Uint8Array out = Napi::Uint8Array::New(env, kDigestBytes);
  std::memcpy(out.Data(), digest, kDigestBytes);
  return out;
}

// ── Async forms: an AsyncWorker (libuv's thread pool) that settles a promise ──────────

class PromiseWorker : public Napi::AsyncWorker {
 public:
  explicit PromiseWorker(Napi::Env env) : Napi::AsyncWorker(env), deferred_(Napi::Promise::Deferred::New(env)) {}

  // Queues the worker, which deletes itself once it has settled the promise.
  Napi::Promise Start() {
    Napi::Promise promise = deferred_.Promise();
    Queue();
    return promise;
  }

 protected:
  virtual Napi::Value Result(Napi::Env env) = 0;

 private:
  void OnOK() override { deferred_.Resolve(Result(Env())); }
  void OnError(const Napi::Error& error) override { deferred_.Reject(error.Value()); }

  Napi::Promise::Deferred deferred_;
};

class NoopWorker : public PromiseWorker {
 public:
  using PromiseWorker::PromiseWorker;

 private:
  void Execute() override {}
  Napi::Value Result(Napi::Env env) override { return env.Undefined(); }
};

class CountPrimesWorker : public PromiseWorker {
 public:
  CountPrimesWorker(Napi::Env env, uint32_t limit) : PromiseWorker(env), limit_(limit) {}

 private:
  void Execute() override { primes_ = CountPrimes(limit_); }
  Napi::Value Result(Napi::Env env) override { return Napi::Number::New(env, primes_); }

  uint32_t limit_;
  uint32_t primes_ = 0;
};

class Sha256Worker : public PromiseWorker {
 public:
  // Copies the bytes: JavaScript may write to the array while the worker hashes.
  Sha256Worker(Napi::Env env, const Napi::Uint8Array& data)
      : PromiseWorker(env), data_(data.Data(), data.Data() + data.ByteLength()) {}

 private:
  void Execute() override { Sha256(data_.data(), data_.size(), digest_); }
  Napi::Value Result(Napi::Env env) override { return DigestArray(env, digest_); }

  std::vector<uint8_t> data_;
  uint8_t digest_[kDigestBytes];
};

// ── Exports ───────────────────────────────────────────────────────────────────────────

Napi::Value NoopSync(const Napi::CallbackInfo& info) { return info.Env().Undefined(); }

Napi::Value Noop(const Napi::CallbackInfo& info) { return (new NoopWorker(info.Env()))->Start(); }

Napi::Value CountPrimesSync(const Napi::CallbackInfo& info) {
  uint32_t limit;
  if (!LimitArgument(info, &limit)) return Napi::Value();
  return Napi::Number::New(info.Env(), CountPrimes(limit));
}

Napi::Value CountPrimesAsync(const Napi::CallbackInfo& info) {
  uint32_t limit;
  if (!LimitArgument(info, &limit)) return Napi::Value();
  return (new CountPrimesWorker(info.Env(), limit))->Start();
}

Napi::Value Sha256Sync(const Napi::CallbackInfo& info) {
  Napi::Uint8Array data;
  if (!DataArgument(info, &data)) return Napi::Value();
  uint8_t digest[kDigestBytes];
  Sha256(data.Data(), data.ByteLength(), digest);
  return DigestArray(info.Env(), digest);
}

Napi::Value Sha256Async(const Napi::CallbackInfo& info) {
  Napi::Uint8Array data;
  if (!DataArgument(info, &data)) return Napi::Value();
  return (new Sha256Worker(info.Env(), data))->Start();
}

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports["noopSync"] = Napi::Function::New(env, NoopSync, "noopSync");
  exports["noop"] = Napi::Function::New(env, Noop, "noop");
  exports["countPrimesSync"] = Napi::Function::New(env, CountPrimesSync, "countPrimesSync");
  exports["countPrimes"] = Napi::Function::New(env, CountPrimesAsync, "countPrimes");
  exports["sha256Sync"] = Napi::Function::New(env, Sha256Sync, "sha256Sync");
  exports["sha256"] = Napi::Function::New(env, Sha256Async, "sha256");
  return exports;
}

}  // namespace

NODE_API_MODULE(cpp_baseline, Init)
