#pragma once
// SHA-256 (FIPS 180-4), for the fingerprint of the resolved scenario in manifest.json. Our own
// small implementation so that io needs no crypto library; not meant for secrets.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace ts::io {

/// Incremental SHA-256: update() any number of times, then hex_digest() once.
class Sha256 {
  public:
    Sha256();
    void update(std::string_view data);
    /// Finishes the hash: 64 lowercase hex digits. The object must not be updated afterwards.
    std::string hex_digest();

  private:
    void compress(const unsigned char* block);

    std::array<std::uint32_t, 8> h_;
    std::array<unsigned char, 64> block_{};
    std::size_t block_len_ = 0;
    std::uint64_t total_bytes_ = 0;
    bool finished_ = false;
};

/// SHA-256 of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

}  // namespace ts::io
