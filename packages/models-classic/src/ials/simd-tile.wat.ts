/**
 * WebAssembly text of the 4-user × 8-item dot-product tile shared by the panel scorer
 * (`score_panels`) and the fused top-k kernel: loads the factor rows of users[b..b+3] and
 * accumulates their dot products with one 8-item panel into $a00..$a31 (two f32x4 each).
 * `k` names the byte-offset counter local of the caller.
 */
export function dotTile4x8(k: string): string {
  return `
    (local.set $u0 (i32.add (local.get $U) (i32.mul (local.get $rowBytes) (i32.load (i32.add (local.get $users) (i32.shl (local.get $b) (i32.const 2)))))))
    (local.set $u1 (i32.add (local.get $U) (i32.mul (local.get $rowBytes) (i32.load offset=4 (i32.add (local.get $users) (i32.shl (local.get $b) (i32.const 2)))))))
    (local.set $u2 (i32.add (local.get $U) (i32.mul (local.get $rowBytes) (i32.load offset=8 (i32.add (local.get $users) (i32.shl (local.get $b) (i32.const 2)))))))
    (local.set $u3 (i32.add (local.get $U) (i32.mul (local.get $rowBytes) (i32.load offset=12 (i32.add (local.get $users) (i32.shl (local.get $b) (i32.const 2)))))))
    (local.set $a00 (v128.const i32x4 0 0 0 0))
    (local.set $a01 (v128.const i32x4 0 0 0 0))
    (local.set $a10 (v128.const i32x4 0 0 0 0))
    (local.set $a11 (v128.const i32x4 0 0 0 0))
    (local.set $a20 (v128.const i32x4 0 0 0 0))
    (local.set $a21 (v128.const i32x4 0 0 0 0))
    (local.set $a30 (v128.const i32x4 0 0 0 0))
    (local.set $a31 (v128.const i32x4 0 0 0 0))
    (local.set $v (local.get $panel))
    (local.set ${k} (i32.const 0))
    (block $kDone
      (loop $kLoop
        (br_if $kDone (i32.ge_u (local.get ${k}) (local.get $rowBytes)))
        (local.set $v0 (v128.load (local.get $v)))
        (local.set $v1 (v128.load offset=16 (local.get $v)))
        (local.set $s (v128.load32_splat (i32.add (local.get $u0) (local.get ${k}))))
        (local.set $a00 (f32x4.add (local.get $a00) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $a01 (f32x4.add (local.get $a01) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $u1) (local.get ${k}))))
        (local.set $a10 (f32x4.add (local.get $a10) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $a11 (f32x4.add (local.get $a11) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $u2) (local.get ${k}))))
        (local.set $a20 (f32x4.add (local.get $a20) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $a21 (f32x4.add (local.get $a21) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $s (v128.load32_splat (i32.add (local.get $u3) (local.get ${k}))))
        (local.set $a30 (f32x4.add (local.get $a30) (f32x4.mul (local.get $s) (local.get $v0))))
        (local.set $a31 (f32x4.add (local.get $a31) (f32x4.mul (local.get $s) (local.get $v1))))
        (local.set $v (i32.add (local.get $v) (i32.const 32)))
        (local.set ${k} (i32.add (local.get ${k}) (i32.const 4)))
        (br $kLoop)))`;
}
