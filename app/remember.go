package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/kurier/kurier/app/store"
	"github.com/kurier/kurier/app/vault"
	"github.com/kurier/kurier/protocol/cryptobox"
)

// The remembered session: own secret key (32) ‖ phone's public key (32),
// sealed with the vault's session key.
const sessionRecordLen = 2 * cryptobox.KeySize

func sealSession(ctx context.Context, st *store.Store, v *vault.Vault, rnd io.Reader, key cryptobox.KeyPair, peer cryptobox.PublicKey) error {
	plain := make([]byte, 0, sessionRecordLen)
	plain = append(plain, key.Secret[:]...)
	plain = append(plain, peer[:]...)
	sealed, err := v.NewSealer(vault.PurposeSession, rnd).Seal(plain)
	clear(plain)
	if err != nil {
		return fmt.Errorf("app: remember session: %w", err)
	}
	if err := st.SetValue(ctx, kvSession, sealed); err != nil {
		return fmt.Errorf("app: remember session: %w", err)
	}
	return nil
}

func openSession(ctx context.Context, st *store.Store, v *vault.Vault) (cryptobox.KeyPair, cryptobox.PublicKey, error) {
	sealed, err := st.Value(ctx, kvSession)
	if isNotFound(err) {
		return cryptobox.KeyPair{}, cryptobox.PublicKey{}, fmt.Errorf("%w: the pairing did not complete", ErrNoSession)
	}
	if err != nil {
		return cryptobox.KeyPair{}, cryptobox.PublicKey{}, fmt.Errorf("app: %w", err)
	}
	plain, err := v.NewSealer(vault.PurposeSession, nil).Open(sealed)
	if err != nil || len(plain) != sessionRecordLen {
		return cryptobox.KeyPair{}, cryptobox.PublicKey{}, fmt.Errorf("app: remembered session: %w", vault.ErrCorrupt)
	}
	defer clear(plain)
	sk, err := cryptobox.ParseSecretKey(plain[:cryptobox.KeySize])
	if err != nil {
		return cryptobox.KeyPair{}, cryptobox.PublicKey{}, fmt.Errorf("app: remembered session: %w", err)
	}
	kp, err := cryptobox.KeyPairFromSecret(sk)
	if err != nil {
		return cryptobox.KeyPair{}, cryptobox.PublicKey{}, fmt.Errorf("app: remembered session: %w", err)
	}
	peer, err := cryptobox.ParsePublicKey(plain[cryptobox.KeySize:])
	if err != nil {
		return cryptobox.KeyPair{}, cryptobox.PublicKey{}, fmt.Errorf("app: remembered session: %w", err)
	}
	return kp, peer, nil
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }
