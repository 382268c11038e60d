//! Spacing of retries: exponential with full jitter, capped, reset on
//! success. With "full jitter" each wait is drawn uniformly from zero to
//! the current ceiling (`base · 2^failures`, at most `cap`), so many tills
//! that lost the network at the same moment do not all come back at once.

use std::time::Duration;

/// Retry delays for one store's sync: 2 s doubling to 5 min by default.
#[derive(Clone, Debug)]
pub struct Backoff {
    base: Duration,
    cap: Duration,
    failures: u32,
    rng: SplitMix64,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff::new(Duration::from_secs(2), Duration::from_secs(300))
    }
}

impl Backoff {
    /// Ceilings from `base` doubling to `cap`, seeded from the OS.
    pub fn new(base: Duration, cap: Duration) -> Backoff {
        let mut seed = [0u8; 8];
        if getrandom::fill(&mut seed).is_err() {
            // No OS randomness: the clock still spreads tills apart.
            let nanos = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos() as u64);
            seed = nanos.to_le_bytes();
        }
        Backoff::with_seed(base, cap, u64::from_le_bytes(seed))
    }

    /// The same with a fixed seed (tests: the same delays every run).
    pub fn with_seed(base: Duration, cap: Duration, seed: u64) -> Backoff {
        Backoff {
            base,
            cap: cap.max(base),
            failures: 0,
            rng: SplitMix64(seed),
        }
    }

    /// The ceiling the next delay is drawn under.
    pub fn ceiling(&self) -> Duration {
        let factor = 1u32 << self.failures.min(31);
        self.base.saturating_mul(factor).min(self.cap)
    }

    /// Notes a failure and answers how long to wait before the next try:
    /// uniform in `[0, ceiling]`, the ceiling doubling per failure.
    pub fn next_delay(&mut self) -> Duration {
        let ceiling = self.ceiling();
        self.failures = self.failures.saturating_add(1);
        let nanos = u64::try_from(ceiling.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(self.rng.below(nanos.saturating_add(1)))
    }

    /// Failures since the last success.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    /// A success: the next failure starts from `base` again.
    pub fn reset(&mut self) {
        self.failures = 0;
    }
}

/// A small, seedable generator (Steele, Lea & Flood's SplitMix64): plenty
/// for jitter, and no dependency.
#[derive(Clone, Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, n)` (`n > 0`), without modulo bias worth noting at
    /// these sizes: a 128-bit multiply-shift.
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(u64) -> Duration = Duration::from_secs;

    #[test]
    fn ceilings_double_to_the_cap_and_reset_on_success() {
        let mut b = Backoff::with_seed(S(2), S(300), 7);
        let mut ceilings = Vec::new();
        for _ in 0..10 {
            ceilings.push(b.ceiling().as_secs());
            b.next_delay();
        }
        assert_eq!(ceilings, [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        // Far past 2^31 failures' worth of doubling, still the cap.
        for _ in 0..100 {
            assert!(b.next_delay() <= S(300));
        }
        assert_eq!(b.ceiling(), S(300));
        b.reset();
        assert_eq!((b.failures(), b.ceiling()), (0, S(2)));
    }

    #[test]
    fn delays_are_full_jitter_under_the_ceiling_and_seeded() {
        let mut a = Backoff::with_seed(S(2), S(300), 42);
        let mut b = Backoff::with_seed(S(2), S(300), 42);
        let mut c = Backoff::with_seed(S(2), S(300), 43);
        let da: Vec<Duration> = (0..12).map(|_| a.next_delay()).collect();
        let db: Vec<Duration> = (0..12).map(|_| b.next_delay()).collect();
        let dc: Vec<Duration> = (0..12).map(|_| c.next_delay()).collect();
        assert_eq!(da, db, "same seed, same delays");
        assert_ne!(da, dc, "another seed, other delays");
        let mut probe = Backoff::with_seed(S(2), S(300), 42);
        for d in &da {
            let ceiling = probe.ceiling();
            probe.next_delay();
            assert!(*d <= ceiling, "{d:?} over {ceiling:?}");
        }
        // Full jitter: over many draws at the cap, the whole range is used.
        let mut m = Backoff::with_seed(S(300), S(300), 1);
        let draws: Vec<u64> = (0..2000).map(|_| m.next_delay().as_secs()).collect();
        assert!(draws.iter().any(|&d| d < 30), "some short waits");
        assert!(draws.iter().any(|&d| d > 270), "some long waits");
        let mean = draws.iter().sum::<u64>() as f64 / draws.len() as f64;
        assert!((130.0..170.0).contains(&mean), "mean {mean}");
    }
}
