// gil-lab's C++ baseline: a no-op, countPrimes and sha256 through node-addon-api, written
// the way a node-addon-api author would write them (sync calls, and AsyncWorker + a promise
// for the async forms). It measures what the binding layer costs next to gil-lab's napi-rs
// binding; it is a benchmark, not a backend, and lib/ never loads it.
//
// The kernels compute what gil-lab's do (crates/core/src/kernels/), with the same argument
// checks in kind (a TypeError for a wrong type, a RangeError out of range), but without
// ticks: nothing here can be cancelled, which makes this the floor.

#include <napi.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

namespace {

// ── Kernels ───────────────────────────────────────────────────────────────────────────

constexpr double kCountPrimesLimitMax = 2147483647.0;  // as gil-lab: every candidate fits an int32

// The number of primes below `limit`, by trial division of each odd candidate by the odd
// numbers up to its square root: gil-lab's count_primes without the ticks.
uint32_t CountPrimes(uint32_t limit) {
  if (limit <= 2) return 0;
  uint32_t count = 1;  // 2
  for (uint32_t n = 3; n < limit; n += 2) {
    uint32_t is_prime = 1;
    for (uint32_t d = 3; d * d <= n; d += 2) {
      if (n % d == 0) {
        is_prime = 0;
        break;
      }
    }
    count += is_prime;
  }
  return count;
}

// SHA-256 as FIPS 180-4 §6.2 states it: plain scalar code, no SHA extensions, so that the
// throughput rows compare binding layers over the same algorithm rather than CPU features.
class Sha256 {
 public:
  static constexpr size_t kDigestBytes = 32;

  static void Digest(const uint8_t* data, size_t length, uint8_t out[kDigestBytes]) {
    uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                     0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
    size_t whole = length - length % 64;
    for (size_t at = 0; at < whole; at += 64) Compress(h, data + at);
    // Padding (§5.1.1): a 1 bit, zeros, and the length in bits as a big-endian u64.
    uint8_t tail[128] = {0};
    size_t rest = length - whole;
    std::memcpy(tail, data + whole, rest);
    tail[rest] = 0x80;
    size_t tail_bytes = rest < 56 ? 64 : 128;
    uint64_t bits = static_cast<uint64_t>(length) * 8;
    for (int i = 0; i < 8; i++) tail[tail_bytes - 1 - i] = static_cast<uint8_t>(bits >> (8 * i));
    for (size_t at = 0; at < tail_bytes; at += 64) Compress(h, tail + at);
    for (int i = 0; i < 8; i++) {
      for (int b = 0; b < 4; b++) out[4 * i + b] = static_cast<uint8_t>(h[i] >> (24 - 8 * b));
    }
  }

 private:
  static constexpr uint32_t kRound[64] = {
      0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
      0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
      0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
      0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
      0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
      0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
      0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
      0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

  static uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

  // One block of 64 bytes into the state `h` (§6.2.2).
  static void Compress(uint32_t h[8], const uint8_t* block) {
    uint32_t w[64];
    for (int t = 0; t < 16; t++) {
      w[t] = static_cast<uint32_t>(block[4 * t]) << 24 | static_cast<uint32_t>(block[4 * t + 1]) << 16 |
             static_cast<uint32_t>(block[4 * t + 2]) << 8 | static_cast<uint32_t>(block[4 * t + 3]);
    }
    for (int t = 16; t < 64; t++) {
      uint32_t s0 = Rotr(w[t - 15], 7) ^ Rotr(w[t - 15], 18) ^ (w[t - 15] >> 3);
      uint32_t s1 = Rotr(w[t - 2], 17) ^ Rotr(w[t - 2], 19) ^ (w[t - 2] >> 10);
      w[t] = w[t - 16] + s0 + w[t - 7] + s1;
    }
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (int t = 0; t < 64; t++) {
      uint32_t t1 = k + (Rotr(e, 6) ^ Rotr(e, 11) ^ Rotr(e, 25)) + ((e & f) ^ (~e & g)) + kRound[t] + w[t];
      uint32_t t2 = (Rotr(a, 2) ^ Rotr(a, 13) ^ Rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      k = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e, h[5] += f, h[6] += g, h[7] += k;
  }
};

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

Napi::Uint8Array DigestArray(Napi::Env env, const uint8_t digest[Sha256::kDigestBytes]) {
  Napi::Uint8Array out = Napi::Uint8Array::New(env, Sha256::kDigestBytes);
  std::memcpy(out.Data(), digest, Sha256::kDigestBytes);
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
  void Execute() override { Sha256::Digest(data_.data(), data_.size(), digest_); }
  Napi::Value Result(Napi::Env env) override { return DigestArray(env, digest_); }

  std::vector<uint8_t> data_;
  uint8_t digest_[Sha256::kDigestBytes];
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
  uint8_t digest[Sha256::kDigestBytes];
  Sha256::Digest(data.Data(), data.ByteLength(), digest);
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
