package phone

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"golang.org/x/crypto/scrypt"

	"github.com/kurier/kurier/protocol/cryptobox"
	"github.com/kurier/kurier/protocol/csp"
	"github.com/kurier/kurier/protocol/provisioning"
)

// Identity backup format, version 1 (all fixed-size, nothing compressed —
// §6 #7):
//
//	magic "KURIERBK" (8) ‖ version u8 = 1 ‖ log2 N u8 ‖ r u8 ‖ p u8 ‖ salt (16) ‖ nonce (24)
//	‖ Secretbox[scrypt(password, salt, N, r, p); nonce](identity (8) ‖ secret key (32))
//
// The header is authenticated implicitly: changing the cost or the salt
// changes the key and the box fails to open.
const (
	backupMagic      = "KURIERBK"
	backupVersion    = 1
	backupSaltLen    = 16
	backupHeaderLen  = len(backupMagic) + 4 + backupSaltLen + cryptobox.NonceSize
	backupPlainLen   = csp.IDLen + cryptobox.KeySize
	backupLen        = backupHeaderLen + backupPlainLen + cryptobox.Overhead
	backupDefaultLog = 15 // N = 32768, r = 8: about 32 MiB and 0.1 s
	backupR          = 8
	backupP          = 1
	// backupMinLog and backupMaxLog bound the cost a backup may demand, so
	// a crafted file cannot make the importer spend minutes or gigabytes.
	backupMinLog = 10
	backupMaxLog = 20
)

// backupHeader is the decoded clear part of a backup.
type backupHeader struct {
	logN, r, p int
	salt       [backupSaltLen]byte
	nonce      cryptobox.Nonce
	box        []byte
}

// decodeBackup parses a backup's layout without decrypting it.
func decodeBackup(b []byte) (backupHeader, error) {
	var h backupHeader
	if len(b) != backupLen {
		return h, fmt.Errorf("%w: %d bytes, want %d", ErrBackup, len(b), backupLen)
	}
	if string(b[:len(backupMagic)]) != backupMagic {
		return h, fmt.Errorf("%w: not a Kurier identity backup", ErrBackup)
	}
	b = b[len(backupMagic):]
	if b[0] != backupVersion {
		return h, fmt.Errorf("%w: version %d", ErrBackup, b[0])
	}
	h.logN, h.r, h.p = int(b[1]), int(b[2]), int(b[3])
	if h.logN < backupMinLog || h.logN > backupMaxLog || h.r < 1 || h.r > 32 || h.p < 1 || h.p > 4 {
		return h, fmt.Errorf("%w: cost parameters out of range", ErrBackup)
	}
	b = b[4:]
	copy(h.salt[:], b)
	copy(h.nonce[:], b[backupSaltLen:])
	h.box = b[backupSaltLen+cryptobox.NonceSize:]
	return h, nil
}

func backupKey(password string, h backupHeader) (cryptobox.SymmetricKey, error) {
	var k cryptobox.SymmetricKey
	raw, err := scrypt.Key([]byte(password), h.salt[:], 1<<h.logN, h.r, h.p, cryptobox.KeySize)
	if err != nil {
		return k, fmt.Errorf("phone: backup key: %w", err)
	}
	copy(k[:], raw)
	clear(raw)
	return k, nil
}

// sealBackup writes the backup of id and kp under password.
func sealBackup(rand io.Reader, id string, kp cryptobox.KeyPair, password string, logN int) ([]byte, error) {
	if password == "" {
		return nil, fmt.Errorf("%w: empty backup password", ErrInvalid)
	}
	h := backupHeader{logN: logN, r: backupR, p: backupP}
	if _, err := io.ReadFull(rand, h.salt[:]); err != nil {
		return nil, fmt.Errorf("phone: backup: %w", err)
	}
	nonce, err := cryptobox.RandomNonce(rand)
	if err != nil {
		return nil, fmt.Errorf("phone: backup: %w", err)
	}
	h.nonce = nonce
	key, err := backupKey(password, h)
	if err != nil {
		return nil, err
	}
	out := make([]byte, 0, backupLen)
	out = append(out, backupMagic...)
	out = append(out, backupVersion, byte(h.logN), byte(h.r), byte(h.p))
	out = append(out, h.salt[:]...)
	out = append(out, h.nonce[:]...)
	plain := make([]byte, 0, backupPlainLen)
	plain = append(append(plain, id...), kp.Secret[:]...)
	out = key.Seal(out, plain, &h.nonce)
	clear(plain)
	return out, nil
}

// OpenBackup decrypts an identity backup and returns the identity and its
// key pair. A wrong password and a damaged file both give ErrBackupPassword;
// a file that is not a version-1 backup gives ErrBackup.
func OpenBackup(b []byte, password string) (string, cryptobox.KeyPair, error) {
	h, err := decodeBackup(b)
	if err != nil {
		return "", cryptobox.KeyPair{}, err
	}
	key, err := backupKey(password, h)
	if err != nil {
		return "", cryptobox.KeyPair{}, err
	}
	plain, err := key.Open(nil, h.box, &h.nonce)
	if err != nil {
		return "", cryptobox.KeyPair{}, ErrBackupPassword
	}
	defer clear(plain)
	id, err := csp.IDFromBytes(plain[:csp.IDLen])
	if err != nil {
		return "", cryptobox.KeyPair{}, fmt.Errorf("%w: identity", ErrBackup)
	}
	sk, err := cryptobox.ParseSecretKey(plain[csp.IDLen:])
	if err != nil {
		return "", cryptobox.KeyPair{}, fmt.Errorf("%w: key", ErrBackup)
	}
	kp, err := cryptobox.KeyPairFromSecret(sk)
	if err != nil {
		return "", cryptobox.KeyPair{}, fmt.Errorf("%w: key", ErrBackup)
	}
	return id.String(), kp, nil
}

// ExportBackup returns the phone's identity backup protected by password
// (scrypt N=2^15, r=8, p=1, then secretbox; see the format above).
func (p *Phone) ExportBackup(password string) ([]byte, error) {
	return sealBackup(p.opts.rand, p.self.ID, p.self.Key, password, backupDefaultLog)
}

// ImportBackup restores an identity from a backup into an empty dataDir:
// the directory of backendFile must know the identity with the same key.
// Contacts and messages are not part of an identity backup.
func ImportBackup(ctx context.Context, dataDir, backendFile string, backup []byte, password, nickname string, opts ...Option) (string, error) {
	o := buildOptions(opts)
	id, kp, err := OpenBackup(bytes.Clone(backup), password)
	if err != nil {
		return "", err
	}
	prov, err := provisioning.Load(backendFile)
	if err != nil {
		return "", fmt.Errorf("phone: import: %w", err)
	}
	return initWith(ctx, dataDir, prov, kp, id, nickname, o)
}
