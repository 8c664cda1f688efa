import Testing
import Geometry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// docs/site-file.md `frames`: (u, v) rotated counter-clockwise, then shifted.
@Suite("FrameTransform: RTLS engine frame -> site frame")
struct FrameTransformTests {
    @Test("rotation 90° then offset (10, 0) takes (1, 0) to (10, 1)")
    func quarterTurn() {
        let t = FrameTransform(offset: p(10, 0), rotationDegrees: 90)
        #expect(t.apply(p(1, 0)) == p(10, 1))
        #expect(t.apply(p(0, 1)) == p(9, 0))
    }

    @Test("rotation 0 only shifts")
    func shiftOnly() {
        let t = FrameTransform(offset: p(350, 120), rotationDegrees: 0)
        #expect(t.apply(p(1.5, -2)) == p(351.5, 118))
    }

    @Test("a general angle rotates counter-clockwise about the engine origin")
    func generalAngle() {
        let t = FrameTransform(offset: p(350, 120), rotationDegrees: 12.5)
        let r = 12.5 * Double.pi / 180
        let q = t.apply(p(10, 5))
        #expect(close(q, p(350 + 10 * cos(r) - 5 * sin(r), 120 + 10 * sin(r) + 5 * cos(r)), 1e-9))
        #expect(close(t.invert(q), p(10, 5), 1e-9))
    }

    @Test("angles are taken modulo 360, negative is clockwise")
    func angleWrap() {
        let a = FrameTransform(offset: p(0, 0), rotationDegrees: 450)
        #expect(a.apply(p(1, 0)) == p(0, 1))
        let b = FrameTransform(offset: p(0, 0), rotationDegrees: -90)
        #expect(b.apply(p(1, 0)) == p(0, -1))
        let c = FrameTransform(offset: p(0, 0), rotationDegrees: 180)
        #expect(c.apply(p(2, 3)) == p(-2, -3))
    }

    @Test("changing the rotation takes effect")
    func mutation() {
        var t = FrameTransform(offset: p(10, 0), rotationDegrees: 0)
        #expect(t.apply(p(1, 0)) == p(11, 0))
        t.rotationDegrees = 90
        #expect(t.apply(p(1, 0)) == p(10, 1))
        t.offset = p(0, 0)
        #expect(t.apply(p(1, 0)) == p(0, 1))
        #expect(t == FrameTransform(offset: p(0, 0), rotationDegrees: 90))
    }
}
