// SHA-256 against the FIPS 180-2 example messages and the padding boundaries.
#include <string>

#include <catch2/catch.hpp>

#include "io/sha256.hpp"

using ts::io::Sha256;
using ts::io::sha256_hex;

TEST_CASE("sha256 of the FIPS 180-2 example messages", "[io][sha256]") {
    CHECK(sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    CHECK(sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
          "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
    CHECK(sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmn"
                     "opqklmnopqrlmno"
                     "pqrsmnopqrstnopqrstu") ==
          "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
    CHECK(sha256_hex(std::string(1000000, 'a')) ==
          "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256 around the padding boundaries", "[io][sha256]") {
    // Lengths where the length field just fits, just does not, and whole blocks.
    const std::pair<std::size_t, const char*> cases[] = {
        {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
        {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
        {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
        {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
        {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
        {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
        {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
        {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
    };
    for (const auto& [n, expected] : cases) {
        INFO("length " << n);
        CHECK(sha256_hex(std::string(n, 'a')) == expected);
    }
}

TEST_CASE("sha256 hashes bytes, UTF-8 included", "[io][sha256]") {
    CHECK(sha256_hex("name: Z\xc3\xbcrich\n") ==
          "61e63afad314c2a5ae19acbbee7551ccffe2abf78119bade672e4c542f4c22c4");
}

TEST_CASE("incremental sha256 equals the one-shot hash for any chunking", "[io][sha256]") {
    const std::string million(1000000, 'a');
    for (const std::size_t chunk : {1u, 3u, 55u, 64u, 65u, 1000u, 4096u}) {
        INFO("chunk " << chunk);
        Sha256 h;
        for (std::size_t i = 0; i < million.size(); i += chunk)
            h.update(std::string_view(million).substr(i, chunk));
        CHECK(h.hex_digest() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
    }
    Sha256 h;
    h.update("ab");
    h.update("");
    h.update("c");
    CHECK(h.hex_digest() == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_THROWS(h.hex_digest());
    CHECK_THROWS(h.update("x"));
}
