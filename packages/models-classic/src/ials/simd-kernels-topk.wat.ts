/**
 * WebAssembly text of the fused "score a block of users against every item and keep each
 * user's top k" kernel, spliced into the module of `simd-kernels.wat.ts`. Items arrive in
 * panels of 8 (the layout `score_panels` reads), sorted by descending factor norm, with the
 * largest norm of each panel; a user whose k-th best score is above |u|·(panel's norm) can
 * gain nothing from this panel or any later one, so its tiles are skipped, and once every
 * user of the block is past that point the block ends early (Cauchy–Schwarz pruning).
 *
 * Per user slot b (0 ≤ b < nb) the caller lays out: bound[b] = |u_b|·(1 + rounding margin),
 * thr[b] (−∞ until the heap is full, then the heap's worst score), size[b], the byte
 * offset exStart[b] and count exLen[b] of its sorted excluded items, and a min-heap of k
 * (score, item) pairs at hs + b·k·4, hi + b·k·4 ordered like core's topK: lower score, or
 * equal score and higher item index, is worse.
 */
import { dotTile4x8 } from './simd-tile.wat';

export const FACTOR_TOPK_WAT = String.raw`
  (global $tkK (mut i32) (i32.const 0))
  (global $tkThr (mut i32) (i32.const 0))
  (global $tkSize (mut i32) (i32.const 0))
  (global $tkExStart (mut i32) (i32.const 0))
  (global $tkExLen (mut i32) (i32.const 0))
  (global $tkHs (mut i32) (i32.const 0))
  (global $tkHi (mut i32) (i32.const 0))
  (global $tkScratch (mut i32) (i32.const 0))
  (global $tkItemOf (mut i32) (i32.const 0))

  ;; (sa, ia) ranks below (sb, ib): lower score, or the same score and a higher item index
  (func $worse (param $sa f32) (param $ia i32) (param $sb f32) (param $ib i32) (result i32)
    (i32.or (f32.lt (local.get $sa) (local.get $sb))
      (i32.and (f32.eq (local.get $sa) (local.get $sb)) (i32.gt_s (local.get $ia) (local.get $ib)))))

  ;; Offers (s, item) to slot b's heap: NaN, a candidate the full heap's root beats, and an
  ;; excluded item (binary search in the slot's sorted list) are dropped.
  (func $offer (param $b i32) (param $s f32) (param $item i32)
    (local $size i32) (local $hs i32) (local $hi i32) (local $c i32) (local $p i32)
    (local $l i32) (local $r i32) (local $m i32) (local $ex i32) (local $v i32) (local $k i32)
    (if (f32.ne (local.get $s) (local.get $s)) (then (return)))
    (local.set $k (global.get $tkK))
    (local.set $size (i32.load (i32.add (global.get $tkSize) (i32.shl (local.get $b) (i32.const 2)))))
    (local.set $hs (i32.add (global.get $tkHs) (i32.shl (i32.mul (local.get $b) (local.get $k)) (i32.const 2))))
    (local.set $hi (i32.add (global.get $tkHi) (i32.shl (i32.mul (local.get $b) (local.get $k)) (i32.const 2))))
    (if (i32.eq (local.get $size) (local.get $k))
      (then (if (i32.eqz (call $worse (f32.load (local.get $hs)) (i32.load (local.get $hi)) (local.get $s) (local.get $item)))
        (then (return)))))
    ;; excluded?
    (local.set $ex (i32.load (i32.add (global.get $tkExStart) (i32.shl (local.get $b) (i32.const 2)))))
    (local.set $r (i32.load (i32.add (global.get $tkExLen) (i32.shl (local.get $b) (i32.const 2)))))
    (block $notFound
      (loop $search
        (br_if $notFound (i32.ge_s (local.get $l) (local.get $r)))
        (local.set $m (i32.shr_u (i32.add (local.get $l) (local.get $r)) (i32.const 1)))
        (local.set $v (i32.load (i32.add (local.get $ex) (i32.shl (local.get $m) (i32.const 2)))))
        (if (i32.eq (local.get $v) (local.get $item)) (then (return)))
        (if (i32.lt_s (local.get $v) (local.get $item))
          (then (local.set $l (i32.add (local.get $m) (i32.const 1))))
          (else (local.set $r (local.get $m))))
        (br $search)))
    (if (i32.lt_s (local.get $size) (local.get $k))
      (then
        ;; sift up from the new last slot
        (local.set $c (local.get $size))
        (block $upDone
          (loop $up
            (br_if $upDone (i32.eqz (local.get $c)))
            (local.set $p (i32.shr_u (i32.sub (local.get $c) (i32.const 1)) (i32.const 1)))
            (br_if $upDone (i32.eqz (call $worse (local.get $s) (local.get $item)
              (f32.load (i32.add (local.get $hs) (i32.shl (local.get $p) (i32.const 2))))
              (i32.load (i32.add (local.get $hi) (i32.shl (local.get $p) (i32.const 2)))))))
            (f32.store (i32.add (local.get $hs) (i32.shl (local.get $c) (i32.const 2)))
              (f32.load (i32.add (local.get $hs) (i32.shl (local.get $p) (i32.const 2)))))
            (i32.store (i32.add (local.get $hi) (i32.shl (local.get $c) (i32.const 2)))
              (i32.load (i32.add (local.get $hi) (i32.shl (local.get $p) (i32.const 2)))))
            (local.set $c (local.get $p))
            (br $up)))
        (f32.store (i32.add (local.get $hs) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
        (i32.store (i32.add (local.get $hi) (i32.shl (local.get $c) (i32.const 2))) (local.get $item))
        (local.set $size (i32.add (local.get $size) (i32.const 1)))
        (i32.store (i32.add (global.get $tkSize) (i32.shl (local.get $b) (i32.const 2))) (local.get $size))
        (if (i32.eq (local.get $size) (local.get $k))
          (then (f32.store (i32.add (global.get $tkThr) (i32.shl (local.get $b) (i32.const 2))) (f32.load (local.get $hs)))))
        (return)))
    ;; full: the candidate replaces the root and sinks
    (block $downDone
      (loop $down
        (local.set $l (i32.add (i32.shl (local.get $c) (i32.const 1)) (i32.const 1)))
        (br_if $downDone (i32.ge_s (local.get $l) (local.get $k)))
        (local.set $m (local.get $l))
        (local.set $r (i32.add (local.get $l) (i32.const 1)))
        (if (i32.lt_s (local.get $r) (local.get $k))
          (then (if (call $worse
              (f32.load (i32.add (local.get $hs) (i32.shl (local.get $r) (i32.const 2))))
              (i32.load (i32.add (local.get $hi) (i32.shl (local.get $r) (i32.const 2))))
              (f32.load (i32.add (local.get $hs) (i32.shl (local.get $l) (i32.const 2))))
              (i32.load (i32.add (local.get $hi) (i32.shl (local.get $l) (i32.const 2)))))
            (then (local.set $m (local.get $r))))))
        (br_if $downDone (i32.eqz (call $worse
          (f32.load (i32.add (local.get $hs) (i32.shl (local.get $m) (i32.const 2))))
          (i32.load (i32.add (local.get $hi) (i32.shl (local.get $m) (i32.const 2))))
          (local.get $s) (local.get $item))))
        (f32.store (i32.add (local.get $hs) (i32.shl (local.get $c) (i32.const 2)))
          (f32.load (i32.add (local.get $hs) (i32.shl (local.get $m) (i32.const 2)))))
        (i32.store (i32.add (local.get $hi) (i32.shl (local.get $c) (i32.const 2)))
          (i32.load (i32.add (local.get $hi) (i32.shl (local.get $m) (i32.const 2)))))
        (local.set $c (local.get $m))
        (br $down)))
    (f32.store (i32.add (local.get $hs) (i32.shl (local.get $c) (i32.const 2))) (local.get $s))
    (i32.store (i32.add (local.get $hi) (i32.shl (local.get $c) (i32.const 2))) (local.get $item))
    (f32.store (i32.add (global.get $tkThr) (i32.shl (local.get $b) (i32.const 2))) (f32.load (local.get $hs))))

  ;; The 8 scores of slot b against panel p: one vector compare against the slot's threshold
  ;; rejects the panel in the common case; otherwise each real item is offered.
  (func $offer8 (param $b i32) (param $a0 v128) (param $a1 v128) (param $p i32)
    (local $t v128) (local $l i32) (local $item i32)
    (local.set $t (v128.load32_splat (i32.add (global.get $tkThr) (i32.shl (local.get $b) (i32.const 2)))))
    (if (i32.eqz (v128.any_true (v128.or (f32x4.ge (local.get $a0) (local.get $t)) (f32x4.ge (local.get $a1) (local.get $t)))))
      (then (return)))
    (v128.store (global.get $tkScratch) (local.get $a0))
    (v128.store offset=16 (global.get $tkScratch) (local.get $a1))
    (block $done
      (loop $lanes
        (br_if $done (i32.ge_u (local.get $l) (i32.const 8)))
        (local.set $item (i32.load (i32.add (global.get $tkItemOf)
          (i32.shl (i32.add (i32.shl (local.get $p) (i32.const 3)) (local.get $l)) (i32.const 2)))))
        (if (i32.ge_s (local.get $item) (i32.const 0))
          (then (call $offer (local.get $b)
            (f32.load (i32.add (global.get $tkScratch) (i32.shl (local.get $l) (i32.const 2))))
            (local.get $item))))
        (local.set $l (i32.add (local.get $l) (i32.const 1)))
        (br $lanes))))

  ;; Top-k over every panel for the nb (a multiple of 4) users users[0..nb) of U. The scores
  ;; are computed exactly as score_panels computes them (same lanes, same order of sums), so
  ;; the result equals scoring then selecting. Returns the number of panels visited.
  (func (export "topk_panels")
    (param $U i32) (param $users i32) (param $nb i32) (param $panels i32) (param $nPanels i32)
    (param $panelNorm i32) (param $itemOf i32) (param $f i32) (param $k i32)
    (param $bound i32) (param $thr i32) (param $size i32) (param $exStart i32) (param $exLen i32)
    (param $hs i32) (param $hi i32) (param $scratch i32) (result i32)
    (local $rowBytes i32) (local $p i32) (local $b i32) (local $k4 i32) (local $active i32)
    (local $u0 i32) (local $u1 i32) (local $u2 i32) (local $u3 i32) (local $v i32) (local $panel i32)
    (local $pn v128)
    (local $a00 v128) (local $a01 v128) (local $a10 v128) (local $a11 v128)
    (local $a20 v128) (local $a21 v128) (local $a30 v128) (local $a31 v128)
    (local $v0 v128) (local $v1 v128) (local $s v128)
    (global.set $tkK (local.get $k))
    (global.set $tkThr (local.get $thr))
    (global.set $tkSize (local.get $size))
    (global.set $tkExStart (local.get $exStart))
    (global.set $tkExLen (local.get $exLen))
    (global.set $tkHs (local.get $hs))
    (global.set $tkHi (local.get $hi))
    (global.set $tkScratch (local.get $scratch))
    (global.set $tkItemOf (local.get $itemOf))
    (local.set $rowBytes (i32.shl (local.get $f) (i32.const 2)))
    (local.set $panel (local.get $panels))
    (block $panelsDone
      (loop $panelLoop
        (br_if $panelsDone (i32.ge_u (local.get $p) (local.get $nPanels)))
        (local.set $pn (v128.load32_splat (i32.add (local.get $panelNorm) (i32.shl (local.get $p) (i32.const 2)))))
        (local.set $active (i32.const 0))
        (local.set $b (i32.const 0))
        (block $quadsDone
          (loop $quads
            (br_if $quadsDone (i32.ge_u (local.get $b) (local.get $nb)))
            ;; skip the tile when no user of it can beat its threshold with these items
            (if (i32.eqz (i32x4.all_true (f32x4.lt
                  (f32x4.mul (local.get $pn) (v128.load (i32.add (local.get $bound) (i32.shl (local.get $b) (i32.const 2)))))
                  (v128.load (i32.add (local.get $thr) (i32.shl (local.get $b) (i32.const 2)))))))
              (then
                (local.set $active (i32.const 1))
${dotTile4x8('$k4')}
                (call $offer8 (local.get $b) (local.get $a00) (local.get $a01) (local.get $p))
                (call $offer8 (i32.add (local.get $b) (i32.const 1)) (local.get $a10) (local.get $a11) (local.get $p))
                (call $offer8 (i32.add (local.get $b) (i32.const 2)) (local.get $a20) (local.get $a21) (local.get $p))
                (call $offer8 (i32.add (local.get $b) (i32.const 3)) (local.get $a30) (local.get $a31) (local.get $p))))
            (local.set $b (i32.add (local.get $b) (i32.const 4)))
            (br $quads)))
        ;; panels come in descending norm and thresholds only rise: nobody can gain any more
        (br_if $panelsDone (i32.eqz (local.get $active)))
        (local.set $panel (i32.add (local.get $panel) (i32.shl (local.get $rowBytes) (i32.const 3))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $panelLoop)))
    (local.get $p))
`;
