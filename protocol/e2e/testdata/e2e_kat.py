# Independent known-answer vector for protocol/e2e (shared/protocols.md §3.4, §3.5):
# X25519 (RFC 7748), HSalsa20/XSalsa20 and Poly1305 written from their papers,
# hashlib.blake2b for the metadata key, protobuf and padding built by hand.
# Run: python3 e2e_kat.py > e2e_kat.json
import hashlib, json
P = 2**255 - 19
def clamp(k):
    k = bytearray(k); k[0] &= 248; k[31] &= 127; k[31] |= 64
    return int.from_bytes(k, 'little')
def x25519(k, u):
    k = clamp(k); u = int.from_bytes(u, 'little') & ((1 << 255) - 1)
    x1, x2, z2, x3, z3, swap = u, 1, 0, u, 1, 0
    for t in reversed(range(255)):
        kt = (k >> t) & 1; swap ^= kt
        if swap: x2, x3, z2, z3 = x3, x2, z3, z2
        swap = kt
        A = x2 + z2; AA = A * A; B = x2 - z2; BB = B * B; E = AA - BB
        C = x3 + z3; D = x3 - z3; DA = D * A; CB = C * B
        x3 = (DA + CB) ** 2 % P; z3 = x1 * (DA - CB) ** 2 % P
        x2 = AA * BB % P; z2 = E * (AA + 121665 * E) % P
    if swap: x2, x3, z2, z3 = x3, x2, z3, z2
    return (x2 * pow(z2, P - 2, P) % P).to_bytes(32, 'little')
M32 = 0xffffffff
def rotl(v, c): return ((v << c) & M32) | (v >> (32 - c))
le = lambda b: [int.from_bytes(b[i:i+4], 'little') for i in range(0, len(b), 4)]
SIGMA = le(b"expand 32-byte k")
def rounds(x):
    def qr(a, b, c, d):
        x[b] ^= rotl((x[a] + x[d]) & M32, 7); x[c] ^= rotl((x[b] + x[a]) & M32, 9)
        x[d] ^= rotl((x[c] + x[b]) & M32, 13); x[a] ^= rotl((x[d] + x[c]) & M32, 18)
    for _ in range(10):
        qr(0, 4, 8, 12); qr(5, 9, 13, 1); qr(10, 14, 2, 6); qr(15, 3, 7, 11)
        qr(0, 1, 2, 3); qr(5, 6, 7, 4); qr(10, 11, 8, 9); qr(15, 12, 13, 14)
    return x
def setup(key, n16):
    c, k, n = SIGMA, le(key), le(n16)
    return [c[0], k[0], k[1], k[2], k[3], c[1], n[0], n[1], n[2], n[3], c[2], k[4], k[5], k[6], k[7], c[3]]
def hsalsa20(key, n16):
    x = rounds(setup(key, n16))
    return b"".join(x[i].to_bytes(4, 'little') for i in (0, 5, 10, 15, 6, 7, 8, 9))
def salsa20_block(key, n8, ctr):
    inp = setup(key, n8 + ctr.to_bytes(8, 'little'))
    x = rounds(list(inp))
    return b"".join(((x[i] + inp[i]) & M32).to_bytes(4, 'little') for i in range(16))
def xsalsa20_stream(key, nonce, n):
    sub = hsalsa20(key, nonce[:16]); out = b""; ctr = 0
    while len(out) < n:
        out += salsa20_block(sub, nonce[16:], ctr); ctr += 1
    return out[:n]
def poly1305(key, msg):
    r = int.from_bytes(key[:16], 'little') & 0x0ffffffc0ffffffc0ffffffc0fffffff
    s = int.from_bytes(key[16:], 'little'); p = 2**130 - 5; acc = 0
    for i in range(0, len(msg), 16):
        acc = (acc + int.from_bytes(msg[i:i+16] + b"\x01", 'little')) * r % p
    return ((acc + s) % 2**128).to_bytes(16, 'little')
def secretbox(key, nonce, m):
    ks = xsalsa20_stream(key, nonce, 32 + len(m))
    c = bytes(a ^ b for a, b in zip(m, ks[32:]))
    return poly1305(ks[:32], c) + c
def varint(v):
    out = b""
    while True:
        b = v & 0x7f; v >>= 7
        if v: out += bytes([b | 0x80])
        else: return out + bytes([b])
base = (9).to_bytes(32, 'little')
a_sec = bytes(range(1, 33)); b_sec = bytes(range(101, 133))
a_pub, b_pub = x25519(a_sec, base), x25519(b_sec, base)
shared = hsalsa20(x25519(a_sec, b_pub), bytes(16))
assert shared == hsalsa20(x25519(b_sec, a_pub), bytes(16))
mmk = hashlib.blake2b(b"", digest_size=32, key=shared, salt=b"mm", person=b"3ma-csp").digest()
nonce = bytes(range(200, 224))
message_id, created_at_ms, nickname = 0x0123456789abcdef, 1700000000123, "Älice".encode()
meta_pad = 3
metadata = (bytes([0x0a, meta_pad]) + bytes(meta_pad) + bytes([0x12, len(nickname)]) + nickname
            + b"\x19" + message_id.to_bytes(8, 'little') + b"\x20" + varint(created_at_ms))
text = "Grüezi, Bob!".encode()
pad_rand = (300).to_bytes(2, 'little')        # Seal's 2 padding bytes: n = 300 % 255 + 1 = 46
n = int.from_bytes(pad_rand, 'little') % 255 + 1
body = b"\x01" + text
n = max(n, 32 - len(body))
container = body + bytes([n]) * n
print(json.dumps({
  "comment": "independent vector: python X25519/XSalsa20/Poly1305 + hashlib.blake2b (see e2e_kat.py)",
  "a_id": "ALICE123", "a_secret": a_sec.hex(), "a_public": a_pub.hex(),
  "b_id": "BOB45678", "b_secret": b_sec.hex(), "b_public": b_pub.hex(),
  "shared_key": shared.hex(), "metadata_key": mmk.hex(),
  "nonce": nonce.hex(), "pad_rand": pad_rand.hex(), "metadata_pad": meta_pad,
  "message_id": message_id, "created_at_ms": created_at_ms, "nickname": nickname.decode(), "text": text.decode(),
  "metadata": metadata.hex(), "container": container.hex(),
  "metadata_box": secretbox(mmk, nonce, metadata).hex(),
  "message_box": secretbox(shared, nonce, container).hex()}, indent=1, ensure_ascii=False))
