# Independent known-answer vector for the CSP vouch (shared/protocols.md §3.2):
# X25519 (RFC 7748), HSalsa20 (NaCl crypto_box_beforenm) and hashlib BLAKE2b.
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
def rotl(v, c): return ((v << c) & 0xffffffff) | (v >> (32 - c))
def hsalsa20(key, nonce16):
    le = lambda b: [int.from_bytes(b[i:i+4], 'little') for i in range(0, len(b), 4)]
    c = le(b"expand 32-byte k"); k = le(key); n = le(nonce16)
    x = [c[0], k[0], k[1], k[2], k[3], c[1], n[0], n[1], n[2], n[3], c[2], k[4], k[5], k[6], k[7], c[3]]
    def qr(a, b, cc, d):
        x[b] ^= rotl((x[a] + x[d]) & 0xffffffff, 7); x[cc] ^= rotl((x[b] + x[a]) & 0xffffffff, 9)
        x[d] ^= rotl((x[cc] + x[b]) & 0xffffffff, 13); x[a] ^= rotl((x[d] + x[cc]) & 0xffffffff, 18)
    for _ in range(10):
        qr(0, 4, 8, 12); qr(5, 9, 13, 1); qr(10, 14, 2, 6); qr(15, 3, 7, 11)
        qr(0, 1, 2, 3); qr(5, 6, 7, 4); qr(10, 11, 8, 9); qr(15, 12, 13, 14)
    return b"".join(x[i].to_bytes(4, 'little') for i in (0, 5, 10, 15, 6, 7, 8, 9))
def beforenm(sk, pk): return hsalsa20(x25519(sk, pk), bytes(16))
base = (9).to_bytes(32, 'little')
ck = bytes(range(1, 33)); sk = bytes(range(33, 65)); tsk = bytes(range(65, 97)); tck = bytes(range(97, 129))
sck = bytes(range(200, 216))
pub = lambda s: x25519(s, base)
ss1 = beforenm(ck, pub(sk)); ss2 = beforenm(ck, pub(tsk))
vk = hashlib.blake2b(b"", digest_size=32, key=ss1 + ss2, salt=b"v2", person=b"3ma-csp").digest()
vouch = hashlib.blake2b(sck + pub(tck), digest_size=32, key=vk).digest()
print(json.dumps({"comment": "independent vector: python X25519/HSalsa20 + hashlib.blake2b (see vouch_kat.py)",
  "ck_secret": ck.hex(), "ck_public": pub(ck).hex(), "sk_secret": sk.hex(), "sk_public": pub(sk).hex(),
  "tsk_secret": tsk.hex(), "tsk_public": pub(tsk).hex(), "tck_secret": tck.hex(), "tck_public": pub(tck).hex(),
  "sck": sck.hex(), "ss1": ss1.hex(), "ss2": ss2.hex(), "vouch_key": vk.hex(), "vouch": vouch.hex()}, indent=1))
