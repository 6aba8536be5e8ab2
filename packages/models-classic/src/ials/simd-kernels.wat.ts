/**
 * WebAssembly text of the SIMD kernels (f32x4, float32 throughout like implicit's BLAS
 * calls). Pointers are byte offsets into the imported memory; vectors of `f` floats
 * need f to be a multiple of 4 (the CG kernels) — the scoring kernel takes any f.
 * Compiled with wabt when `simd-kernels.ts` is first imported.
 */
import { FACTOR_TOPK_WAT } from './simd-kernels-topk.wat';
import { dotTile4x8 } from './simd-tile.wat';

export const SIMD_KERNELS_WAT = String.raw`
(module
  (import "env" "memory" (memory 1 65536 shared))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; Σ a[k]·b[k] over k < f
  (func $dot (export "dot") (param $a i32) (param $b i32) (param $f i32) (result f32)
    (local $end i32) (local $s0 v128) (local $s1 v128)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $f) (i32.const 2))))
    (block $done
      (loop $pair
        (br_if $done (i32.gt_u (i32.add (local.get $a) (i32.const 32)) (local.get $end)))
        (local.set $s0 (f32x4.add (local.get $s0)
          (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $s1 (f32x4.add (local.get $s1)
          (f32x4.mul (v128.load offset=16 (local.get $a)) (v128.load offset=16 (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 32)))
        (local.set $b (i32.add (local.get $b) (i32.const 32)))
        (br $pair)))
    (if (i32.lt_u (local.get $a) (local.get $end))
      (then (local.set $s0 (f32x4.add (local.get $s0)
        (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))))
    (call $hsum (f32x4.add (local.get $s0) (local.get $s1))))

  ;; y += alpha·x
  (func $axpy (export "axpy") (param $alpha f32) (param $x i32) (param $y i32) (param $f i32)
    (local $end i32) (local $av v128)
    (local.set $av (f32x4.splat (local.get $alpha)))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $f) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (v128.store (local.get $y) (f32x4.add (v128.load (local.get $y))
          (f32x4.mul (local.get $av) (v128.load (local.get $x)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $l))))

  ;; p = r + beta·p
  (func $xpby (param $beta f32) (param $r i32) (param $p i32) (param $f i32)
    (local $end i32) (local $bv v128)
    (local.set $bv (f32x4.splat (local.get $beta)))
    (local.set $end (i32.add (local.get $r) (i32.shl (local.get $f) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $r) (local.get $end)))
        (v128.store (local.get $p) (f32x4.add (v128.load (local.get $r))
          (f32x4.mul (local.get $bv) (v128.load (local.get $p)))))
        (local.set $r (i32.add (local.get $r) (i32.const 16)))
        (local.set $p (i32.add (local.get $p) (i32.const 16)))
        (br $l))))

  ;; v = s·v
  (func $scal (param $s f32) (param $v i32) (param $f i32)
    (local $end i32) (local $sv v128)
    (local.set $sv (f32x4.splat (local.get $s)))
    (local.set $end (i32.add (local.get $v) (i32.shl (local.get $f) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $v) (local.get $end)))
        (v128.store (local.get $v) (f32x4.mul (local.get $sv) (v128.load (local.get $v))))
        (local.set $v (i32.add (local.get $v) (i32.const 16)))
        (br $l))))

  ;; dst = src (f floats)
  (func $copy (param $src i32) (param $dst i32) (param $f i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $src) (i32.shl (local.get $f) (i32.const 2))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $src) (local.get $end)))
        (v128.store (local.get $dst) (v128.load (local.get $src)))
        (local.set $src (i32.add (local.get $src) (i32.const 16)))
        (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
        (br $l))))

  ;; out = M·v for the f × f row-major SYMMETRIC M (the Gram matrix), as Σ_j v_j·(row j of M)
  ;; over blocks of 32 outputs held in 8 registers: per 32 multiply-adds one splat of v_j, 8
  ;; loads at constant offsets from one pointer, and no horizontal sums. Rest by 4 outputs.
  (func $gemv (export "gemv") (param $m i32) (param $v i32) (param $out i32) (param $f i32)
    (local $rowBytes i32) (local $a i32) (local $g i32) (local $pv i32) (local $pEnd i32) (local $s v128)
    (local $o0 v128) (local $o1 v128) (local $o2 v128) (local $o3 v128)
    (local $o4 v128) (local $o5 v128) (local $o6 v128) (local $o7 v128)
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $pEnd (i32.add (local.get $v) (local.get $rowBytes)))
    (block $bigDone
      (loop $big
        (br_if $bigDone (i32.gt_u (i32.add (local.get $a) (i32.const 128)) (local.get $rowBytes)))
        (local.set $o0 (v128.const i32x4 0 0 0 0)) (local.set $o1 (v128.const i32x4 0 0 0 0))
        (local.set $o2 (v128.const i32x4 0 0 0 0)) (local.set $o3 (v128.const i32x4 0 0 0 0))
        (local.set $o4 (v128.const i32x4 0 0 0 0)) (local.set $o5 (v128.const i32x4 0 0 0 0))
        (local.set $o6 (v128.const i32x4 0 0 0 0)) (local.set $o7 (v128.const i32x4 0 0 0 0))
        (local.set $g (i32.add (local.get $m) (local.get $a)))
        (local.set $pv (local.get $v))
        (block $jDone
          (loop $j
            (br_if $jDone (i32.ge_u (local.get $pv) (local.get $pEnd)))
            (local.set $s (v128.load32_splat (local.get $pv)))
            (local.set $o0 (f32x4.add (local.get $o0) (f32x4.mul (v128.load (local.get $g)) (local.get $s))))
            (local.set $o1 (f32x4.add (local.get $o1) (f32x4.mul (v128.load offset=16 (local.get $g)) (local.get $s))))
            (local.set $o2 (f32x4.add (local.get $o2) (f32x4.mul (v128.load offset=32 (local.get $g)) (local.get $s))))
            (local.set $o3 (f32x4.add (local.get $o3) (f32x4.mul (v128.load offset=48 (local.get $g)) (local.get $s))))
            (local.set $o4 (f32x4.add (local.get $o4) (f32x4.mul (v128.load offset=64 (local.get $g)) (local.get $s))))
            (local.set $o5 (f32x4.add (local.get $o5) (f32x4.mul (v128.load offset=80 (local.get $g)) (local.get $s))))
            (local.set $o6 (f32x4.add (local.get $o6) (f32x4.mul (v128.load offset=96 (local.get $g)) (local.get $s))))
            (local.set $o7 (f32x4.add (local.get $o7) (f32x4.mul (v128.load offset=112 (local.get $g)) (local.get $s))))
            (local.set $g (i32.add (local.get $g) (local.get $rowBytes)))
            (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
            (br $j)))
        (local.set $g (i32.add (local.get $out) (local.get $a)))
        (v128.store (local.get $g) (local.get $o0))
        (v128.store offset=16 (local.get $g) (local.get $o1))
        (v128.store offset=32 (local.get $g) (local.get $o2))
        (v128.store offset=48 (local.get $g) (local.get $o3))
        (v128.store offset=64 (local.get $g) (local.get $o4))
        (v128.store offset=80 (local.get $g) (local.get $o5))
        (v128.store offset=96 (local.get $g) (local.get $o6))
        (v128.store offset=112 (local.get $g) (local.get $o7))
        (local.set $a (i32.add (local.get $a) (i32.const 128)))
        (br $big)))
    (block $smallDone
      (loop $small
        (br_if $smallDone (i32.ge_u (local.get $a) (local.get $rowBytes)))
        (local.set $o0 (v128.const i32x4 0 0 0 0))
        (local.set $g (i32.add (local.get $m) (local.get $a)))
        (local.set $pv (local.get $v))
        (block $jDone1
          (loop $j1
            (br_if $jDone1 (i32.ge_u (local.get $pv) (local.get $pEnd)))
            (local.set $o0 (f32x4.add (local.get $o0) (f32x4.mul (v128.load (local.get $g)) (v128.load32_splat (local.get $pv)))))
            (local.set $g (i32.add (local.get $g) (local.get $rowBytes)))
            (local.set $pv (i32.add (local.get $pv) (i32.const 4)))
            (br $j1)))
        (v128.store (i32.add (local.get $out) (local.get $a)) (local.get $o0))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (br $small))))

  ;; G += Σ_{r ∈ [start, end)} y_r y_rᵀ, rows of Y at y + r·f·4. Only entries (a, b) with
  ;; b ≥ a − a mod 4 are written (the upper triangle and a little more); the caller mirrors.
  (func (export "gram_upper") (param $y i32) (param $start i32) (param $end i32) (param $g i32) (param $f i32)
    (local $rowBytes i32) (local $row i32) (local $a i32) (local $j i32)
    (local $y0 i32) (local $y1 i32) (local $y2 i32) (local $y3 i32) (local $gRow i32)
    (local $c0 v128) (local $c1 v128) (local $c2 v128) (local $c3 v128)
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $row (local.get $start))
    ;; four rows at a time: one load and store of G per 16 products
    (block $quadsDone
      (loop $quads
        (br_if $quadsDone (i32.gt_u (i32.add (local.get $row) (i32.const 4)) (local.get $end)))
        (local.set $y0 (i32.add (local.get $y) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $y1 (i32.add (local.get $y0) (local.get $rowBytes)))
        (local.set $y2 (i32.add (local.get $y1) (local.get $rowBytes)))
        (local.set $y3 (i32.add (local.get $y2) (local.get $rowBytes)))
        (local.set $a (i32.const 0))
        (block $aDone
          (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $a) (local.get $f)))
            (local.set $c0 (v128.load32_splat (i32.add (local.get $y0) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $c1 (v128.load32_splat (i32.add (local.get $y1) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $c2 (v128.load32_splat (i32.add (local.get $y2) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $c3 (v128.load32_splat (i32.add (local.get $y3) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $gRow (i32.add (local.get $g) (i32.mul (local.get $a) (local.get $rowBytes))))
            (local.set $j (i32.shl (i32.and (local.get $a) (i32.const -4)) (i32.const 2)))
            (block $jDone
              (loop $jLoop
                (br_if $jDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (v128.store (i32.add (local.get $gRow) (local.get $j))
                  (f32x4.add
                    (f32x4.add
                      (v128.load (i32.add (local.get $gRow) (local.get $j)))
                      (f32x4.add
                        (f32x4.mul (local.get $c0) (v128.load (i32.add (local.get $y0) (local.get $j))))
                        (f32x4.mul (local.get $c1) (v128.load (i32.add (local.get $y1) (local.get $j))))))
                    (f32x4.add
                      (f32x4.mul (local.get $c2) (v128.load (i32.add (local.get $y2) (local.get $j))))
                      (f32x4.mul (local.get $c3) (v128.load (i32.add (local.get $y3) (local.get $j)))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $jLoop)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $aLoop)))
        (local.set $row (i32.add (local.get $row) (i32.const 4)))
        (br $quads)))
    ;; the remaining rows one at a time
    (block $singlesDone
      (loop $singles
        (br_if $singlesDone (i32.ge_u (local.get $row) (local.get $end)))
        (local.set $y0 (i32.add (local.get $y) (i32.mul (local.get $row) (local.get $rowBytes))))
        (local.set $a (i32.const 0))
        (block $aDone1
          (loop $aLoop1
            (br_if $aDone1 (i32.ge_u (local.get $a) (local.get $f)))
            (local.set $c0 (v128.load32_splat (i32.add (local.get $y0) (i32.shl (local.get $a) (i32.const 2)))))
            (local.set $gRow (i32.add (local.get $g) (i32.mul (local.get $a) (local.get $rowBytes))))
            (local.set $j (i32.shl (i32.and (local.get $a) (i32.const -4)) (i32.const 2)))
            (block $jDone1
              (loop $jLoop1
                (br_if $jDone1 (i32.ge_u (local.get $j) (local.get $rowBytes)))
                (v128.store (i32.add (local.get $gRow) (local.get $j))
                  (f32x4.add (v128.load (i32.add (local.get $gRow) (local.get $j)))
                    (f32x4.mul (local.get $c0) (v128.load (i32.add (local.get $y0) (local.get $j))))))
                (local.set $j (i32.add (local.get $j) (i32.const 16)))
                (br $jLoop1)))
            (local.set $a (i32.add (local.get $a) (i32.const 1)))
            (br $aLoop1)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $singles))))

  ;; coef of one entry: (c − 1)·d for A·p, c − (c − 1)·d for the residual
  (func $entry_coef (param $c f32) (param $d f32) (param $ap i32) (result v128)
    (f32x4.splat
      (if (result f32) (local.get $ap)
        (then (f32.mul (f32.sub (local.get $c) (f32.const 1)) (local.get $d)))
        (else (f32.sub (local.get $c) (f32.mul (f32.sub (local.get $c) (f32.const 1)) (local.get $d)))))))

  ;; $sparse_pass for the entries of [lo, hi) in whole groups of four, four at a time: the four row gathers
  ;; are in flight together and the four dot products are independent chains (a single
  ;; entry's dot is bound by its add latency and its row's cache misses), and out is read and
  ;; written once per four entries. Returns the first entry not done.
  (func $sparse_quads (param $lo i32) (param $hi i32) (param $indices i32) (param $conf i32)
    (param $Y i32) (param $v i32) (param $out i32) (param $f i32) (param $ap i32) (result i32)
    (local $k i32) (local $j i32) (local $rowBytes i32) (local $ix i32) (local $cf i32)
    (local $y0 i32) (local $y1 i32) (local $y2 i32) (local $y3 i32)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $vv v128)
    (local $e0 v128) (local $e1 v128) (local $e2 v128) (local $e3 v128)
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $k (local.get $lo))
    (block $done
      (loop $quads
        (br_if $done (i32.gt_u (i32.add (local.get $k) (i32.const 4)) (local.get $hi)))
        (local.set $ix (i32.add (local.get $indices) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $cf (i32.add (local.get $conf) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $y0 (i32.add (local.get $Y) (i32.mul (i32.load (local.get $ix)) (local.get $rowBytes))))
        (local.set $y1 (i32.add (local.get $Y) (i32.mul (i32.load offset=4 (local.get $ix)) (local.get $rowBytes))))
        (local.set $y2 (i32.add (local.get $Y) (i32.mul (i32.load offset=8 (local.get $ix)) (local.get $rowBytes))))
        (local.set $y3 (i32.add (local.get $Y) (i32.mul (i32.load offset=12 (local.get $ix)) (local.get $rowBytes))))
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $s2 (v128.const i32x4 0 0 0 0))
        (local.set $s3 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $dDone
          (loop $dLoop
            (br_if $dDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (local.set $vv (v128.load (i32.add (local.get $v) (local.get $j))))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (v128.load (i32.add (local.get $y0) (local.get $j))) (local.get $vv))))
            (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (v128.load (i32.add (local.get $y1) (local.get $j))) (local.get $vv))))
            (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (v128.load (i32.add (local.get $y2) (local.get $j))) (local.get $vv))))
            (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (v128.load (i32.add (local.get $y3) (local.get $j))) (local.get $vv))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $dLoop)))
        (local.set $e0 (call $entry_coef (f32.load (local.get $cf)) (call $hsum (local.get $s0)) (local.get $ap)))
        (local.set $e1 (call $entry_coef (f32.load offset=4 (local.get $cf)) (call $hsum (local.get $s1)) (local.get $ap)))
        (local.set $e2 (call $entry_coef (f32.load offset=8 (local.get $cf)) (call $hsum (local.get $s2)) (local.get $ap)))
        (local.set $e3 (call $entry_coef (f32.load offset=12 (local.get $cf)) (call $hsum (local.get $s3)) (local.get $ap)))
        ;; out += (e0·y0 + e1·y1) + (e2·y2 + e3·y3)
        (local.set $j (i32.const 0))
        (block $aDone
          (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $j) (local.get $rowBytes)))
            (v128.store (i32.add (local.get $out) (local.get $j)) (f32x4.add
              (v128.load (i32.add (local.get $out) (local.get $j)))
              (f32x4.add
                (f32x4.add
                  (f32x4.mul (local.get $e0) (v128.load (i32.add (local.get $y0) (local.get $j))))
                  (f32x4.mul (local.get $e1) (v128.load (i32.add (local.get $y1) (local.get $j)))))
                (f32x4.add
                  (f32x4.mul (local.get $e2) (v128.load (i32.add (local.get $y2) (local.get $j))))
                  (f32x4.mul (local.get $e3) (v128.load (i32.add (local.get $y3) (local.get $j))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 16)))
            (br $aLoop)))
        (local.set $k (i32.add (local.get $k) (i32.const 4)))
        (br $quads)))
    (local.get $k))

  ;; For entries k ∈ [lo, hi): y = Y row indices[k], c = conf[k], d = y·v, then
  ;; out += coef·y with coef = c − (c − 1)·d (residual) or (c − 1)·d (A·p), chosen by $ap.
  ;; dot and axpy are inlined and unrolled two vectors at a time: this loop runs 8 times per
  ;; observed entry and half-iteration, the most of any loop on sparse-heavy data.
  (func $sparse_pass (param $lo i32) (param $hi i32) (param $indices i32) (param $conf i32)
    (param $Y i32) (param $v i32) (param $out i32) (param $f i32) (param $ap i32)
    (local $k i32) (local $y i32) (local $j i32) (local $rowBytes i32) (local $pairEnd i32)
    (local $c f32) (local $d f32) (local $coef v128) (local $s0 v128) (local $s1 v128)
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $pairEnd (i32.and (local.get $rowBytes) (i32.const -32)))
    ;; four entries at a time, then the rest one by one
    (local.set $k (call $sparse_quads (local.get $lo) (local.get $hi) (local.get $indices) (local.get $conf)
      (local.get $Y) (local.get $v) (local.get $out) (local.get $f) (local.get $ap)))
    (block $done
      (loop $entries
        (br_if $done (i32.ge_u (local.get $k) (local.get $hi)))
        (local.set $y (i32.add (local.get $Y) (i32.mul
          (i32.load (i32.add (local.get $indices) (i32.shl (local.get $k) (i32.const 2))))
          (local.get $rowBytes))))
        (local.set $c (f32.load (i32.add (local.get $conf) (i32.shl (local.get $k) (i32.const 2)))))
        ;; d = y·v
        (local.set $s0 (v128.const i32x4 0 0 0 0))
        (local.set $s1 (v128.const i32x4 0 0 0 0))
        (local.set $j (i32.const 0))
        (block $dDone
          (loop $dLoop
            (br_if $dDone (i32.ge_u (local.get $j) (local.get $pairEnd)))
            (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul
              (v128.load (i32.add (local.get $y) (local.get $j))) (v128.load (i32.add (local.get $v) (local.get $j))))))
            (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul
              (v128.load offset=16 (i32.add (local.get $y) (local.get $j))) (v128.load offset=16 (i32.add (local.get $v) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $dLoop)))
        (if (i32.lt_u (local.get $j) (local.get $rowBytes))
          (then (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul
            (v128.load (i32.add (local.get $y) (local.get $j))) (v128.load (i32.add (local.get $v) (local.get $j))))))))
        (local.set $d (call $hsum (f32x4.add (local.get $s0) (local.get $s1))))
        (local.set $coef (f32x4.splat
          (if (result f32) (local.get $ap)
            (then (f32.mul (f32.sub (local.get $c) (f32.const 1)) (local.get $d)))
            (else (f32.sub (local.get $c) (f32.mul (f32.sub (local.get $c) (f32.const 1)) (local.get $d)))))))
        ;; out += coef·y
        (local.set $j (i32.const 0))
        (block $aDone
          (loop $aLoop
            (br_if $aDone (i32.ge_u (local.get $j) (local.get $pairEnd)))
            (v128.store (i32.add (local.get $out) (local.get $j)) (f32x4.add
              (v128.load (i32.add (local.get $out) (local.get $j)))
              (f32x4.mul (local.get $coef) (v128.load (i32.add (local.get $y) (local.get $j))))))
            (v128.store offset=16 (i32.add (local.get $out) (local.get $j)) (f32x4.add
              (v128.load offset=16 (i32.add (local.get $out) (local.get $j)))
              (f32x4.mul (local.get $coef) (v128.load offset=16 (i32.add (local.get $y) (local.get $j))))))
            (local.set $j (i32.add (local.get $j) (i32.const 32)))
            (br $aLoop)))
        (if (i32.lt_u (local.get $j) (local.get $rowBytes))
          (then (v128.store (i32.add (local.get $out) (local.get $j)) (f32x4.add
            (v128.load (i32.add (local.get $out) (local.get $j)))
            (f32x4.mul (local.get $coef) (v128.load (i32.add (local.get $y) (local.get $j))))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $entries))))

  ;; implicit's _least_squares_cg over rows [start, end): x (row of X, in place) starts from
  ;; its current value; r = Σ (c − (c − 1)·y·x)·y − G·x; then steps of CG where
  ;; A·p = G·p + Σ (c − 1)(y·p)·y. Scratch holds r, p, Ap (3·f floats). Empty rows get x = 0.
  (func (export "cg_rows")
    (param $start i32) (param $end i32) (param $indptr i32) (param $indices i32) (param $conf i32)
    (param $X i32) (param $Y i32) (param $G i32) (param $f i32) (param $steps i32) (param $scratch i32)
    (local $rowBytes i32) (local $row i32) (local $lo i32) (local $hi i32)
    (local $x i32) (local $r i32) (local $p i32) (local $ap i32) (local $it i32)
    (local $rsOld f32) (local $rsNew f32) (local $alpha f32)
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $r (local.get $scratch))
    (local.set $p (i32.add (local.get $r) (local.get $rowBytes)))
    (local.set $ap (i32.add (local.get $p) (local.get $rowBytes)))
    (local.set $row (local.get $start))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_u (local.get $row) (local.get $end)))
        (block $next
          (local.set $lo (i32.load (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))))
          (local.set $hi (i32.load offset=4 (i32.add (local.get $indptr) (i32.shl (local.get $row) (i32.const 2)))))
          (local.set $x (i32.add (local.get $X) (i32.mul (local.get $row) (local.get $rowBytes))))
          (if (i32.eq (local.get $lo) (local.get $hi))
            (then
              (call $scal (f32.const 0) (local.get $x) (local.get $f))
              (br $next)))
          ;; r = −G·x + Σ (c − (c − 1)·y·x)·y
          (call $gemv (local.get $G) (local.get $x) (local.get $r) (local.get $f))
          (call $scal (f32.const -1) (local.get $r) (local.get $f))
          (call $sparse_pass (local.get $lo) (local.get $hi) (local.get $indices) (local.get $conf)
            (local.get $Y) (local.get $x) (local.get $r) (local.get $f) (i32.const 0))
          (call $copy (local.get $r) (local.get $p) (local.get $f))
          (local.set $rsOld (call $dot (local.get $r) (local.get $r) (local.get $f)))
          (br_if $next (f32.lt (local.get $rsOld) (f32.const 1e-20)))
          (local.set $it (i32.const 0))
          (block $cgDone
            (loop $cg
              (br_if $cgDone (i32.ge_u (local.get $it) (local.get $steps)))
              ;; Ap = G·p + Σ (c − 1)(y·p)·y
              (call $gemv (local.get $G) (local.get $p) (local.get $ap) (local.get $f))
              (call $sparse_pass (local.get $lo) (local.get $hi) (local.get $indices) (local.get $conf)
                (local.get $Y) (local.get $p) (local.get $ap) (local.get $f) (i32.const 1))
              (local.set $alpha (f32.div (local.get $rsOld) (call $dot (local.get $p) (local.get $ap) (local.get $f))))
              (call $axpy (local.get $alpha) (local.get $p) (local.get $x) (local.get $f))
              (call $axpy (f32.neg (local.get $alpha)) (local.get $ap) (local.get $r) (local.get $f))
              (local.set $rsNew (call $dot (local.get $r) (local.get $r) (local.get $f)))
              (br_if $cgDone (f32.lt (local.get $rsNew) (f32.const 1e-20)))
              (call $xpby (f32.div (local.get $rsNew) (local.get $rsOld)) (local.get $r) (local.get $p) (local.get $f))
              (local.set $rsOld (local.get $rsNew))
              (local.set $it (i32.add (local.get $it) (i32.const 1)))
              (br $cg))))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; out[b·nPad + i] = U[users[b]] · V[i] for b < nb and i < nPad, where the item factors are
  ;; stored as panels of 8 items: panel[(i/8)·f + k][i mod 8]. Tiles of 4 users × 8 items
  ;; keep 8 accumulators in registers; each panel (f·32 bytes) is reused by every user.
  (func (export "score_panels")
    (param $U i32) (param $users i32) (param $nb i32) (param $panels i32) (param $nPad i32)
    (param $f i32) (param $out i32)
    (local $rowBytes i32) (local $outRowBytes i32) (local $i0 i32) (local $b i32) (local $k i32)
    (local $u0 i32) (local $u1 i32) (local $u2 i32) (local $u3 i32) (local $v i32) (local $o i32)
    (local $panel i32) (local $kEnd i32)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $v0 v128) (local $v1 v128) (local $s v128)
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $outRowBytes (i32.shl (local.get $nPad) (i32.const 2)))
    (local.set $panel (local.get $panels))
    (block $itemsDone
      (loop $items
        (br_if $itemsDone (i32.ge_u (local.get $i0) (local.get $nPad)))
        (local.set $b (i32.const 0))
        (block $quadsDone
          (loop $quads
            (br_if $quadsDone (i32.gt_u (i32.add (local.get $b) (i32.const 4)) (local.get $nb)))
${dotTile4x8('$k')}
            (local.set $o (i32.add (local.get $out) (i32.add
              (i32.mul (local.get $b) (local.get $outRowBytes)) (i32.shl (local.get $i0) (i32.const 2)))))
            (v128.store (local.get $o) (local.get $a00))
            (v128.store offset=16 (local.get $o) (local.get $a01))
            (local.set $o (i32.add (local.get $o) (local.get $outRowBytes)))
            (v128.store (local.get $o) (local.get $a10))
            (v128.store offset=16 (local.get $o) (local.get $a11))
            (local.set $o (i32.add (local.get $o) (local.get $outRowBytes)))
            (v128.store (local.get $o) (local.get $a20))
            (v128.store offset=16 (local.get $o) (local.get $a21))
            (local.set $o (i32.add (local.get $o) (local.get $outRowBytes)))
            (v128.store (local.get $o) (local.get $a30))
            (v128.store offset=16 (local.get $o) (local.get $a31))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $quads)))
        ;; the last users of the batch one at a time
        (block $singlesDone
          (loop $singles
            (br_if $singlesDone (i32.ge_u (local.get $b) (local.get $nb)))
            (local.set $u0 (i32.add (local.get $U) (i32.mul (local.get $rowBytes)
              (i32.load (i32.add (local.get $users) (i32.shl (local.get $b) (i32.const 2)))))))
            (local.set $a00 (v128.const i32x4 0 0 0 0)) (local.set $a01 (v128.const i32x4 0 0 0 0))
            (local.set $v (local.get $panel))
            (local.set $k (i32.const 0))
            (block $kDone1
              (loop $kLoop1
                (br_if $kDone1 (i32.ge_u (local.get $k) (local.get $rowBytes)))
                (local.set $s (v128.load32_splat (i32.add (local.get $u0) (local.get $k))))
                (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (v128.load (local.get $v)))))
                (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (v128.load offset=16 (local.get $v)))))
                (local.set $v (i32.add (local.get $v) (i32.const 32)))
                (local.set $k (i32.add (local.get $k) (i32.const 4)))
                (br $kLoop1)))
            (local.set $o (i32.add (local.get $out) (i32.add
              (i32.mul (local.get $b) (local.get $outRowBytes)) (i32.shl (local.get $i0) (i32.const 2)))))
            (v128.store (local.get $o) (local.get $a00))
            (v128.store offset=16 (local.get $o) (local.get $a01))
            (local.set $b (i32.add (local.get $b) (i32.const 1)))
            (br $singles)))
        (local.set $panel (i32.add (local.get $panel) (i32.shl (local.get $rowBytes) (i32.const 3))))
        (local.set $i0 (i32.add (local.get $i0) (i32.const 8)))
        (br $items))))
${FACTOR_TOPK_WAT}
)
`;
