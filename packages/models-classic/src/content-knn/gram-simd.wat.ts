/**
 * WebAssembly text of the content-kNN Gram kernel (f32x4). Items are stored in groups of
 * four, dimension-interleaved (group g, dim d at ((g · dim + d) · 4 + lane) floats), so one
 * vector multiply-add scores four items at once with no horizontal sums.
 */
export const GRAM_SIMD_WAT = String.raw`
(module
  (import "env" "memory" (memory 1 65536))

  ;; For 4 query rows whose dims are stored splatted (row r, dim d: v128 at qs + (r·dim + d)·16):
  ;; out[r · rowBytes + g · 16 ..] = query_r · items of group g, for g < groups.
  (func (export "gram4") (param $items i32) (param $groups i32) (param $dim i32) (param $qs i32)
                         (param $out i32) (param $rowBytes i32)
    (local $g i32) (local $d i32) (local $p i32) (local $q i32) (local $x v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $qStride i32) (local $o i32)
    (local.set $qStride (i32.shl (local.get $dim) (i32.const 4)))
    (local.set $p (local.get $items))
    (block $doneG
      (loop $eachG
        (br_if $doneG (i32.ge_u (local.get $g) (local.get $groups)))
        (local.set $a0 (v128.const i32x4 0 0 0 0))
        (local.set $a1 (v128.const i32x4 0 0 0 0))
        (local.set $a2 (v128.const i32x4 0 0 0 0))
        (local.set $a3 (v128.const i32x4 0 0 0 0))
        (local.set $q (local.get $qs))
        (local.set $d (i32.const 0))
        (block $doneD
          (loop $eachD
            (br_if $doneD (i32.ge_u (local.get $d) (local.get $dim)))
            (local.set $x (v128.load (local.get $p)))
            (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $x) (v128.load (local.get $q)))))
            (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $x)
              (v128.load (i32.add (local.get $q) (local.get $qStride))))))
            (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $x)
              (v128.load (i32.add (local.get $q) (i32.shl (local.get $qStride) (i32.const 1)))))))
            (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $x)
              (v128.load (i32.add (local.get $q) (i32.mul (local.get $qStride) (i32.const 3)))))))
            (local.set $p (i32.add (local.get $p) (i32.const 16)))
            (local.set $q (i32.add (local.get $q) (i32.const 16)))
            (local.set $d (i32.add (local.get $d) (i32.const 1)))
            (br $eachD)))
        (local.set $o (i32.add (local.get $out) (i32.shl (local.get $g) (i32.const 4))))
        (v128.store (local.get $o) (local.get $a0))
        (v128.store (i32.add (local.get $o) (local.get $rowBytes)) (local.get $a1))
        (v128.store (i32.add (local.get $o) (i32.shl (local.get $rowBytes) (i32.const 1))) (local.get $a2))
        (v128.store (i32.add (local.get $o) (i32.mul (local.get $rowBytes) (i32.const 3))) (local.get $a3))
        (local.set $g (i32.add (local.get $g) (i32.const 1)))
        (br $eachG))))
)
`;
