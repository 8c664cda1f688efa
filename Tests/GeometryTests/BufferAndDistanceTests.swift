import Testing
import Geometry

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Routes become corridors by buffering the line by half the route's width (docs/site-file.md).
@Suite("Buffer and distance")
struct BufferAndDistanceTests {
    @Test("a line buffered by 20 is a corridor 40 m wide: 19 m off the line is inside, 21 m is not")
    func corridorWidth() throws {
        let line = try Shape.lineString([p(0, 0), p(500, 0), p(500, 300)])
        let corridor = try line.buffer(20)
        #expect(corridor.kind == .polygon)
        #expect(corridor.validityProblem == nil)
        // Away from the bend, where the two legs' buffers overlap.
        for x in stride(from: 10.0, through: 470, by: 20) {
            #expect(corridor.contains(p(x, 19)) && corridor.contains(p(x, -19)))
            #expect(!corridor.contains(p(x, 21)) && !corridor.contains(p(x, -21)))
        }
        for y in stride(from: 30.0, through: 290, by: 20) {
            #expect(corridor.contains(p(519, y)) && corridor.contains(p(481, y)))
            #expect(!corridor.contains(p(521, y)) && !corridor.contains(p(479, y)))
        }
        // Round caps at the ends.
        #expect(corridor.contains(p(-19, 0)) && !corridor.contains(p(-21, 0)))
        #expect(corridor.contains(p(500, 319)) && !corridor.contains(p(500, 321)))
    }

    @Test("a diagonal corridor has the same width measured perpendicular to the line")
    func diagonalCorridor() throws {
        let line = try Shape.lineString([p(0, 0), p(300, 400)])   // length 500
        let corridor = try line.buffer(20).prepared()
        let normal = p(-0.8, 0.6)
        for t in stride(from: 0.05, through: 0.95, by: 0.1) {
            let c = p(300 * t, 400 * t)
            #expect(corridor.contains(p(c.x + 19 * normal.x, c.y + 19 * normal.y)))
            #expect(!corridor.contains(p(c.x + 21 * normal.x, c.y + 21 * normal.y)))
            #expect(!corridor.contains(p(c.x - 21 * normal.x, c.y - 21 * normal.y)))
        }
    }

    @Test("a buffer's area is close to the exact figure")
    func bufferArea() throws {
        let line = try Shape.lineString([p(0, 0), p(1000, 0)])
        let exact = 2 * 20 * 1000 + Double.pi * 400
        #expect(abs(try line.buffer(20).area - exact) / exact < 0.002)
        #expect(abs(try line.buffer(20, quadrantSegments: 32).area - exact) / exact < 0.0002)
        let disc = try Shape.point(p(0, 0)).buffer(10, quadrantSegments: 64)
        #expect(abs(disc.area - Double.pi * 100) / (Double.pi * 100) < 0.001)
    }

    @Test("a negative buffer shrinks a polygon")
    func negativeBuffer() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 100)).buffer(-10)
        #expect(s.bounds == Bounds(minX: 10, minY: 10, maxX: 90, maxY: 90))
        #expect(s.area == 6400)
    }

    @Test("distance from a point: 0 inside, to the nearest edge outside")
    func pointDistance() throws {
        let s = try Shape.polygon(exterior: square(0, 0, 10), holes: [square(4, 4, 2)])
        #expect(s.distance(to: p(1, 1)) == 0)
        #expect(s.distance(to: p(13, 5)) == 3)
        #expect(s.distance(to: p(13, 14)) == 5)
        #expect(s.distance(to: p(5, 5)) == 1)    // the middle of the hole
        let line = try Shape.lineString([p(0, 0), p(10, 0)])
        #expect(line.distance(to: p(5, 7)) == 7)
    }

    @Test("distance between shapes, and intersects")
    func shapeDistance() throws {
        let a = try Shape.polygon(exterior: square(0, 0, 10))
        let b = try Shape.polygon(exterior: square(13, 14, 5))
        let c = try Shape.polygon(exterior: square(5, 5, 10))
        #expect(a.distance(to: b) == 5)
        #expect(a.distance(to: c) == 0)
        #expect(!a.intersects(b) && a.intersects(c))
        let crossing = try Shape.lineString([p(-5, 5), p(15, 5)])
        #expect(a.intersects(crossing))
    }
}
