package dev.distribank.node.tls;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import org.junit.jupiter.api.Test;

/**
 * The native engine is the one in use on Linux x86-64, and its signatures are the JDK's: banks of either kind (say,
 * one where Conscrypt did not load) check each other's votes.
 */
class SignatureEnginesTest {
  private static final String ALGORITHM = "SHA256withECDSA";

  @Test
  void onThisPlatform_votesAreSignedNatively() {
    assertTrue(SignatureEngines.isNative(), "Conscrypt did not load: " + SignatureEngines.describe());
  }

  @Test
  void nativeSignatures_verifyInTheJdk_andTheJdksVerifyNatively_andNeitherAcceptsAnotherDigest() throws Exception {
    var generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair keys = generator.generateKeyPair();
    byte[] digest = new byte[32];
    digest[0] = 7;
    byte[] other = digest.clone();
    other[31] = 1;

    Signature nativeSigner = SignatureEngines.signer(ALGORITHM, keys.getPrivate());
    nativeSigner.update(digest);
    byte[] signedNatively = nativeSigner.sign();
    Signature jdk = Signature.getInstance(ALGORITHM);
    jdk.initVerify(keys.getPublic());
    jdk.update(digest);
    assertTrue(jdk.verify(signedNatively));

    Signature jdkSigner = Signature.getInstance(ALGORITHM);
    jdkSigner.initSign(keys.getPrivate());
    jdkSigner.update(digest);
    byte[] signedByTheJdk = jdkSigner.sign();
    for (byte[] signature : new byte[][] {signedByTheJdk, signedNatively}) {
      Signature verifier = SignatureEngines.verifier(ALGORITHM, keys.getPublic());
      verifier.update(digest);
      assertTrue(verifier.verify(signature));
      Signature wrong = SignatureEngines.verifier(ALGORITHM, keys.getPublic());
      wrong.update(other);
      assertFalse(wrong.verify(signature), "a signature over another digest");
    }
  }
}
