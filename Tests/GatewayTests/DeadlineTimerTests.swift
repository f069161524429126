import NIOCore
import NIOEmbedded
import Testing

@testable import Gateway

/// ``DeadlineTimer``: one scheduled task per connection whose deadline moves; these pin down that
/// moving, clearing and re-arming never fire early, never fire twice, and never miss.
@Suite("deadline timer")
struct DeadlineTimerTests {
    final class Counter { var value = 0 }

    /// A timer on an embedded loop (time moves only when the test says) that counts its firings.
    static func countingTimer() -> (EmbeddedEventLoop, Counter, DeadlineTimer) {
        let loop = EmbeddedEventLoop()
        let fired = Counter()
        return (loop, fired, DeadlineTimer(eventLoop: loop) { fired.value += 1 })
    }

    @Test("fires once at the deadline, not before")
    func firesAtDeadline() {
        let (loop, fired, timer) = Self.countingTimer()
        timer.arm(in: .seconds(5))
        loop.advanceTime(by: .milliseconds(4_999))
        #expect(fired.value == 0)
        loop.advanceTime(by: .milliseconds(1))
        #expect(fired.value == 1)
        #expect(!timer.isArmed)
        loop.advanceTime(by: .seconds(60))
        #expect(fired.value == 1)
    }

    @Test("moving the deadline later re-schedules for the remainder instead of firing")
    func movedLater() {
        let (loop, fired, timer) = Self.countingTimer()
        timer.arm(in: .seconds(5))
        loop.advanceTime(by: .seconds(3))
        timer.arm(in: .seconds(5))  // new deadline: t = 8 s
        loop.advanceTime(by: .seconds(4))  // t = 7 s: the first task fired and found the deadline moved
        #expect(fired.value == 0)
        loop.advanceTime(by: .seconds(1))  // t = 8 s
        #expect(fired.value == 1)
    }

    @Test("an earlier deadline replaces the pending task")
    func movedEarlier() {
        let (loop, fired, timer) = Self.countingTimer()
        timer.arm(in: .seconds(60))
        timer.arm(in: .seconds(1))
        loop.advanceTime(by: .seconds(1))
        #expect(fired.value == 1)
        loop.advanceTime(by: .seconds(120))
        #expect(fired.value == 1)
    }

    @Test("disarm and cancel stop it; re-arming after either works")
    func disarmAndCancel() {
        let (loop, fired, timer) = Self.countingTimer()
        timer.arm(in: .seconds(2))
        timer.disarm()
        loop.advanceTime(by: .seconds(3))
        #expect(fired.value == 0)
        timer.arm(in: .seconds(2))
        loop.advanceTime(by: .seconds(2))
        #expect(fired.value == 1)
        timer.arm(in: .seconds(2))
        timer.cancel()
        loop.advanceTime(by: .seconds(3))
        #expect(fired.value == 1)
        timer.arm(in: .seconds(1))
        loop.advanceTime(by: .seconds(1))
        #expect(fired.value == 2)
    }
}
